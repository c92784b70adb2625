import { CASE_ROUTES } from '#infra/routes.ts';
import type { PublishedArticles } from '#domain/cases/article-links.ts';
import type { CaseRepository } from '#domain/cases/case.repository.ts';
import { caseUseCases } from '#domain/cases/case.use-cases.ts';
import type { Clock, IdGenerator } from '#domain/shared/ports.ts';
import { httpApp } from '../shared/http-app.ts';
import { addCommentHandler } from './add-comment.handler.ts';
import { addMyCommentHandler } from './add-my-comment.handler.ts';
import { assignCaseHandler } from './assign-case.handler.ts';
import { closeMyCaseHandler } from './close-my-case.handler.ts';
import { getCaseHandler } from './get-case.handler.ts';
import { getMyCaseHandler } from './get-my-case.handler.ts';
import { listCasesHandler } from './list-cases.handler.ts';
import { listCommentsHandler } from './list-comments.handler.ts';
import { listMyCasesHandler } from './list-my-cases.handler.ts';
import { listMyCommentsHandler } from './list-my-comments.handler.ts';
import { openCaseHandler } from './open-case.handler.ts';
import { openMyCaseHandler } from './open-my-case.handler.ts';
import { patchCaseHandler } from './patch-case.handler.ts';
import { getQueueHandler, putQueueHandler } from './put-queue.handler.ts';
import { getSlaPolicyHandler, putSlaPolicyHandler } from './sla-policy.handler.ts';
import { slaReportHandler } from './sla-report.handler.ts';

export interface CasesPorts {
  readonly cases: CaseRepository;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** Published knowledge-base articles, for links on comments (issue 11). */
  readonly articles: PublishedArticles;
}

export function casesHandler(ports: CasesPorts) {
  return httpApp(
    CASE_ROUTES,
    {
      'POST /cases': openCaseHandler,
      'GET /cases': listCasesHandler,
      'GET /cases/{id}': getCaseHandler,
      'PATCH /cases/{id}': patchCaseHandler,
      'POST /cases/{id}/comments': addCommentHandler,
      'GET /cases/{id}/comments': listCommentsHandler,
      'POST /cases/{id}/assign': assignCaseHandler,
      'PUT /queues/{name}': putQueueHandler,
      'GET /queues/{name}': getQueueHandler,
      'GET /sla-policy': getSlaPolicyHandler,
      'PUT /sla-policy': putSlaPolicyHandler,
      'GET /reports/sla': slaReportHandler,
      'GET /me/cases': listMyCasesHandler,
      'POST /me/cases': openMyCaseHandler,
      'GET /me/cases/{id}': getMyCaseHandler,
      'GET /me/cases/{id}/comments': listMyCommentsHandler,
      'POST /me/cases/{id}/comments': addMyCommentHandler,
      'POST /me/cases/{id}/close': closeMyCaseHandler,
    },
    { cases: caseUseCases(ports) },
  );
}
