import { caseUseCases } from '#domain/cases/case.use-cases.ts';
import { bindRoutes } from '../shared/bind-routes.ts';
import type { CasesPorts } from './cases.app.ts';
import { getQueueHandler, putQueueHandler } from './put-queue.handler.ts';
import { getSlaPolicyHandler, putSlaPolicyHandler } from './sla-policy.handler.ts';
import { slaReportHandler } from './sla-report.handler.ts';

// How the desk is run: queues (members, managers, escalation), the SLA policy and the SLA report.
// Loaded by the first request of one of these routes.

export function deskSettingsRoutes(ports: CasesPorts) {
  return bindRoutes({ cases: caseUseCases(ports) }, {
    'PUT /queues/{name}': putQueueHandler,
    'GET /queues/{name}': getQueueHandler,
    'GET /sla-policy': getSlaPolicyHandler,
    'PUT /sla-policy': putSlaPolicyHandler,
    'GET /reports/sla': slaReportHandler,
  });
}
