import { caseUseCases } from '#domain/cases/case.use-cases.ts';
import { bindRoutes } from '../shared/bind-routes.ts';
import type { CasesPorts } from './cases.app.ts';
import { addCommentHandler } from './add-comment.handler.ts';
import { assignCaseHandler } from './assign-case.handler.ts';
import { getCaseHandler } from './get-case.handler.ts';
import { listCasesHandler } from './list-cases.handler.ts';
import { listCommentsHandler } from './list-comments.handler.ts';
import { openCaseHandler } from './open-case.handler.ts';
import { patchCaseHandler } from './patch-case.handler.ts';

// Staff work on cases and their comments: loaded by the first request of one of these routes.

export function staffCaseRoutes(ports: CasesPorts) {
  return bindRoutes({ cases: caseUseCases(ports) }, {
    'POST /cases': openCaseHandler,
    'GET /cases': listCasesHandler,
    'GET /cases/{id}': getCaseHandler,
    'PATCH /cases/{id}': patchCaseHandler,
    'POST /cases/{id}/comments': addCommentHandler,
    'GET /cases/{id}/comments': listCommentsHandler,
    'POST /cases/{id}/assign': assignCaseHandler,
  });
}
