import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

/** An analytics job was requested (POST /analytics/models/clv/fit); the analyticsJobs worker runs it. Ids only: the job item holds its parameters. */
export const AnalyticsJobRequested = defineEvent({
  source: 'crm.analytics',
  detailType: 'AnalyticsJobRequested',
  version: 1,
  data: z.onFirstUse(() => z.strictObject({ jobId: z.string(), kind: z.literal('clv-fit') })),
});
