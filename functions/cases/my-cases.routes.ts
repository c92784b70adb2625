import { caseUseCases } from '#domain/cases/case.use-cases.ts';
import { bindRoutes } from '../shared/bind-routes.ts';
import type { CasesPorts } from './cases.app.ts';
import { addMyCommentHandler } from './add-my-comment.handler.ts';
import { closeMyCaseHandler } from './close-my-case.handler.ts';
import { getMyCaseHandler } from './get-my-case.handler.ts';
import { listMyCasesHandler } from './list-my-cases.handler.ts';
import { listMyCommentsHandler } from './list-my-comments.handler.ts';
import { openMyCaseHandler } from './open-my-case.handler.ts';

// Self-service (/me/cases): a person's own cases and public comments, loaded by the first request
// of one of these routes.

export function myCaseRoutes(ports: CasesPorts) {
  return bindRoutes({ cases: caseUseCases(ports) }, {
    'GET /me/cases': listMyCasesHandler,
    'POST /me/cases': openMyCaseHandler,
    'GET /me/cases/{id}': getMyCaseHandler,
    'GET /me/cases/{id}/comments': listMyCommentsHandler,
    'POST /me/cases/{id}/comments': addMyCommentHandler,
    'POST /me/cases/{id}/close': closeMyCaseHandler,
  });
}
