import type { EventBridgeEvent } from 'aws-lambda';
import type { ConsentUseCases } from '#domain/consent/consent.use-cases.ts';
import type { OptInMail } from '#domain/consent/optin-mail.use-cases.ts';
import { ConsentRequested } from '#events/consent-requested.event.ts';
import { CustomerErased, erasedIds } from '#events/customer-erased.event.ts';
import { SES_BOUNCE, SES_COMPLAINT, SesBounceDetail, SesComplaintDetail } from '#events/ses-feedback.event.ts';
import { emailFeedbackMetric } from '../shared/crm-metrics.ts';

type AnyEvent = EventBridgeEvent<string, unknown>;

/** SES bounce and complaint events (forwarded from the default bus to crm). */
export function emailFeedbackHandler(consent: ConsentUseCases) {
  return async (event: AnyEvent) => {
    const context = { correlationId: event.id };
    if (event['detail-type'] === SES_BOUNCE) {
      const { bounce } = SesBounceDetail.parse(event.detail);
      await consent.bounce(bounce.bouncedRecipients.map((r) => r.emailAddress), bounce.bounceType, context);
      emailFeedbackMetric({ kind: 'bounce', bounceType: bounce.bounceType });
    } else if (event['detail-type'] === SES_COMPLAINT) {
      const { complaint } = SesComplaintDetail.parse(event.detail);
      await consent.complaint(complaint.complainedRecipients.map((r) => r.emailAddress), context);
      emailFeedbackMetric({ kind: 'complaint' });
    } else {
      throw new Error(`Unexpected event ${event['detail-type']}`);
    }
  };
}

/** CustomerErased: the ledger keeps anonymised proof that consent existed, for every id the person had. */
export function consentErasureHandler(consent: ConsentUseCases) {
  return async (event: AnyEvent) => {
    const { data } = CustomerErased.detail.parse(event.detail);
    for (const id of erasedIds(data)) await consent.anonymize(id);
  };
}

/**
 * Rule on ConsentRequested: the double opt-in mail. A failed send throws, so the delivery is
 * retried (locally by the bus until it succeeds; on AWS by Lambda's async retries, then the
 * function's dead-letter queue, from which it can be redriven).
 */
export function optInMailHandler(mail: OptInMail) {
  return async (event: AnyEvent) => {
    const { data, metadata } = ConsentRequested.detail.parse(event.detail);
    return mail.send(metadata.eventId, data, { correlationId: metadata.correlationId });
  };
}
