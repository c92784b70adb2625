import * as z from '#domain/shared/zod.ts';
import { QueueName } from '#domain/cases/case.schema.ts';
import type { CsatUseCases } from '#domain/surveys/csat.use-cases.ts';

const day = (description: string) => z.iso.date().register(z.globalRegistry, { description });

/** GET /csat?token=&score=: the answer page with that score selected (a GET records nothing). */
export const CsatPageQuery = z.onFirstUse(() => z.strictObject({
  token: z.string().check(z.minLength(1), z.maxLength(2048)),
  score: z.optional(z.string().check(z.regex(/^[1-5]$/, 'must be 1-5'))),
}));

/** GET /reports/csat: UTC days, both included (defaults as GET /reports/sla). */
export const CsatReportQuery = z.onFirstUse(() => z.strictObject({
  from: z.optional(day('First UTC day (default: 29 days before `to`, so 30 days in all)')),
  to: z.optional(day('Last UTC day, included (default: today)')),
  queue: z.optional(QueueName),
  assignee: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
}));

export interface CsatApp {
  readonly csat: CsatUseCases;
}
