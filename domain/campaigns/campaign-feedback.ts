// What comes back after a campaign's mail went out: SES's delivery, bounce and complaint events
// (tagged with the campaign) and unsubscribes through the mail's link, counted on the report.

export const MESSAGE_FEEDBACK = ['delivered', 'bounced', 'complained'] as const;
export type MessageFeedback = (typeof MESSAGE_FEEDBACK)[number];

/** Port: the report's feedback counters, each event counted at most once. */
export interface FeedbackCounters {
  /** One SES event of one message; false when this message's event of that kind was counted before. */
  countMessage(campaignId: string, kind: MessageFeedback, messageId: string): Promise<boolean>;
  /**
   * The customer unsubscribed through the campaign's mail: counted once per customer and
   * campaign, and only for a recipient of the campaign (who is still there); false otherwise.
   */
  countUnsubscribe(campaignId: string, customerId: string, at: string): Promise<boolean>;
}
