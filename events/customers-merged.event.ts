import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

/** The source customer was merged into the target; the source id now points at the target. */
export const CustomersMerged = defineEvent({
  source: 'crm.customers',
  detailType: 'CustomersMerged',
  version: 1,
  data: z.onFirstUse(() => z.strictObject({ targetId: z.string(), sourceId: z.string() })),
});
