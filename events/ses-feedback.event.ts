import * as z from '#domain/shared/zod.ts';

// Events SES itself publishes (configuration set -> EventBridge, forwarded to the crm bus). Not
// ours to version: the shapes below are the parts of AWS's event detail the system reads.

export const SES_SOURCE = 'aws.ses';
export const SES_BOUNCE = 'Email Bounced';
export const SES_COMPLAINT = 'Email Complaint Received';
export const SES_DELIVERY = 'Email Delivered';

const Mail = z.onFirstUse(() => z.object({
  messageId: z.string(),
  timestamp: z.string(),
  source: z.string(),
  destination: z.array(z.string()),
  tags: z.optional(z.record(z.string(), z.array(z.string()))),
}));

export const SesBounceDetail = z.onFirstUse(() => z.object({
  eventType: z.literal('Bounce'),
  bounce: z.object({
    bounceType: z.string(),
    bounceSubType: z.optional(z.string()),
    bouncedRecipients: z.array(z.object({ emailAddress: z.string(), action: z.optional(z.string()), status: z.optional(z.string()), diagnosticCode: z.optional(z.string()) })),
    timestamp: z.string(),
    feedbackId: z.optional(z.string()),
  }),
  mail: Mail,
}));
export type SesBounceDetail = z.infer<typeof SesBounceDetail>;

export const SesComplaintDetail = z.onFirstUse(() => z.object({
  eventType: z.literal('Complaint'),
  complaint: z.object({
    complainedRecipients: z.array(z.object({ emailAddress: z.string() })),
    timestamp: z.string(),
    feedbackId: z.optional(z.string()),
    complaintFeedbackType: z.optional(z.string()),
  }),
  mail: Mail,
}));
export type SesComplaintDetail = z.infer<typeof SesComplaintDetail>;

export const SesDeliveryDetail = z.onFirstUse(() => z.object({
  eventType: z.literal('Delivery'),
  delivery: z.object({
    timestamp: z.string(),
    recipients: z.array(z.string()),
    processingTimeMillis: z.optional(z.number()),
    smtpResponse: z.optional(z.string()),
    reportingMTA: z.optional(z.string()),
  }),
  mail: Mail,
}));
export type SesDeliveryDetail = z.infer<typeof SesDeliveryDetail>;

/** Routes bounces and complaints to the feedback consumer. */
export const SES_FEEDBACK_PATTERN = { source: [SES_SOURCE], 'detail-type': [SES_BOUNCE, SES_COMPLAINT] };

/** The SES message tag (EmailTags) campaign mail carries: its value is the campaign's id. */
export const CAMPAIGN_TAG = 'campaign';

/** Deliveries, bounces and complaints of campaign mail (tagged `campaign`), for the campaign's report. */
export const SES_CAMPAIGN_FEEDBACK_PATTERN = {
  source: [SES_SOURCE],
  'detail-type': [SES_DELIVERY, SES_BOUNCE, SES_COMPLAINT],
  detail: { mail: { tags: { [CAMPAIGN_TAG]: [{ exists: true }] } } },
};
