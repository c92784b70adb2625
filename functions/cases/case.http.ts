import * as z from '#domain/shared/zod.ts';
import { DEFAULT_PAGE_SIZE, Limit, PathId } from '../shared/query.ts';
import type { Case } from '#domain/cases/case.schema.ts';
import { CaseStatus, Priority, QueueName } from '#domain/cases/case.schema.ts';
import type { CaseUseCases } from '#domain/cases/case.use-cases.ts';
import { CaseNotFoundError } from '#domain/shared/errors.ts';
import type { ApiResult, HttpRequest } from '../shared/http-app.ts';
import { etag, json } from '../shared/request.ts';

export interface CasesApp {
  readonly cases: CaseUseCases;
}

export const CaseListQuery = z.onFirstUse(() => z
  .strictObject({
    status: z.optional(CaseStatus),
    queue: z.optional(QueueName),
    assigneeId: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
    customerId: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
    priority: z.optional(Priority),
    limit: z.optional(Limit),
    cursor: z.optional(z.string().check(z.minLength(1))),
  })
  .check(
    z.refine((q) => [q.queue, q.assigneeId, q.priority, q.customerId].filter((v) => v !== undefined).length <= 1, {
      message: 'combine status with at most one of queue, assigneeId, priority, customerId',
      path: ['queue'],
    }),
    z.refine((q) => q.customerId === undefined || q.status === undefined, { message: 'customerId lists every case of the customer; it takes no status', path: ['status'] }),
  ));

export const CommentListQuery = z.onFirstUse(() => z.strictObject({ limit: z.optional(Limit), cursor: z.optional(z.string().check(z.minLength(1))) }));

const day = (description: string) => z.iso.date().register(z.globalRegistry, { description });
/** UTC days; the range itself (defaults, order, at most a year) is reportRange's to check. */
export const ReportQuery = z.onFirstUse(() => z.strictObject({
  from: z.optional(day('First UTC day (default: 29 days before `to`, so 30 days in all)')),
  to: z.optional(day('Last UTC day, included (default: today)')),
  queue: z.optional(QueueName),
}));

export { DEFAULT_PAGE_SIZE };


export function caseIdParam(request: HttpRequest): string {
  const id = request.params.id ?? '';
  if (!PathId.safeParse(id).success) throw new CaseNotFoundError(id);
  return id;
}

export function caseResponse(status: 200 | 201, c: Case): ApiResult {
  return json(status, c, { etag: etag(c.version), ...(status === 201 ? { location: `/cases/${encodeURIComponent(c.id)}` } : {}) });
}
