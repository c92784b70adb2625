import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

/**
 * Carries ids and names only: never an email address or other personal data. Its consumer sends
 * the double opt-in mail (the request commits `pending` and this event in one transaction).
 */
export const ConsentRequested = defineEvent({
  source: 'crm.consent',
  detailType: 'ConsentRequested',
  version: 1,
  data: z.onFirstUse(() => z.strictObject({
    customerId: z.string(),
    topic: z.string(),
    source: z.string(),
    /** The request's id: the proof in the ledger and the id of the confirmation link's token. */
    requestId: z.string(),
    /** Where the API answers (the confirmation link points there): the mail is sent by a consumer. */
    linkBase: z.string(),
  })),
});
