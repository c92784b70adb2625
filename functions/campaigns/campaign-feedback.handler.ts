import type { EventBridgeEvent } from 'aws-lambda';
import type { FeedbackCounters, MessageFeedback } from '#domain/campaigns/campaign-feedback.ts';
import { ConsentWithdrawn } from '#events/consent-withdrawn.event.ts';
import { CAMPAIGN_TAG, SES_BOUNCE, SES_COMPLAINT, SES_DELIVERY, SES_SOURCE, SesBounceDetail, SesComplaintDetail, SesDeliveryDetail } from '#events/ses-feedback.event.ts';
import { log } from '../shared/log.ts';

type AnyEvent = EventBridgeEvent<string, unknown>;

const SES_KINDS: Record<string, { kind: MessageFeedback; detail: typeof SesDeliveryDetail | typeof SesBounceDetail | typeof SesComplaintDetail }> = {
  [SES_DELIVERY]: { kind: 'delivered', detail: SesDeliveryDetail },
  [SES_BOUNCE]: { kind: 'bounced', detail: SesBounceDetail },
  [SES_COMPLAINT]: { kind: 'complained', detail: SesComplaintDetail },
};

/**
 * Rules `ses-campaign-feedback` (SES events of mail tagged `campaign`) and `campaign-unsubscribe`
 * (ConsentWithdrawn through a campaign mail's link): the campaign's report counters.
 */
export function campaignFeedbackHandler(counters: FeedbackCounters) {
  return async (event: AnyEvent) => {
    let campaignId: string | undefined;
    let counted: boolean;
    let kind: string;
    if (event.source === SES_SOURCE && SES_KINDS[event['detail-type']]) {
      const ses = SES_KINDS[event['detail-type']]!;
      const { mail } = ses.detail.parse(event.detail);
      campaignId = mail.tags?.[CAMPAIGN_TAG]?.[0];
      kind = ses.kind;
      counted = campaignId ? await counters.countMessage(campaignId, ses.kind, mail.messageId) : false;
    } else if (event.source === ConsentWithdrawn.source && event['detail-type'] === ConsentWithdrawn.detailType) {
      const { data, metadata } = ConsentWithdrawn.detail.parse(event.detail);
      campaignId = data.campaignId;
      kind = 'unsubscribed';
      counted = campaignId ? await counters.countUnsubscribe(campaignId, data.customerId, metadata.occurredAt) : false;
    } else {
      throw new Error(`Unexpected event ${event.source}/${event['detail-type']}`);
    }
    // Ids only: SES events hold addresses.
    log('info', 'campaign feedback', { campaignId: campaignId ?? null, kind, counted });
    return { counted };
  };
}
