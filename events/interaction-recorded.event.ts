import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

/**
 * An interaction of a known customer was recorded. Carries ids, channel and type only: the
 * interaction's data stays in the table (a consumer that needs it reads the timeline entry).
 */
export const InteractionRecorded = defineEvent({
  source: 'crm.customers',
  detailType: 'InteractionRecorded',
  version: 1,
  data: z.onFirstUse(() => z.strictObject({ customerId: z.string(), interactionId: z.string(), channel: z.string(), type: z.string(), occurredAt: z.string() })),
});

/** The purchases consumer's rule: only interactions of type `purchase` reach it. */
export const PURCHASE_INTERACTION_PATTERN = {
  ...InteractionRecorded.pattern,
  detail: { data: { type: ['purchase'] } },
};
