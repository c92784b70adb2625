import { describe, expect, it } from 'vitest';
import { CAMPAIGN_UNSUBSCRIBE_PATTERN } from '../../events/consent-withdrawn.event.ts';
import { SES_BOUNCE, SES_CAMPAIGN_FEEDBACK_PATTERN, SES_COMPLAINT, SES_DELIVERY, SES_SOURCE } from '../../events/ses-feedback.event.ts';
import { compilePattern, matchesPattern, type Pattern } from '../../infra/local/event-pattern.ts';
import { RULES } from '../../infra/topology.ts';

// Which events reach campaignFeedback: the two rules of issue 10, as the local bus (and EventBridge) matches them.

const ses = (detailType: string, tags: Record<string, string[]>) => ({
  source: SES_SOURCE,
  'detail-type': detailType,
  detail: { eventType: 'x', mail: { messageId: 'm-1', tags } },
});
const withdrawal = (data: Record<string, unknown>) => ({ source: 'crm.consent', 'detail-type': 'ConsentWithdrawn', detail: { metadata: {}, data } });
const targetsOf = (event: unknown) => RULES.filter((r) => matchesPattern(r.pattern as Pattern, event)).map((r) => (r.target.kind === 'function' ? r.target.function : r.target.kind));

describe('campaign feedback rules', () => {
  it('are valid EventBridge patterns', () => {
    expect(() => compilePattern(SES_CAMPAIGN_FEEDBACK_PATTERN)).not.toThrow();
    expect(() => compilePattern(CAMPAIGN_UNSUBSCRIBE_PATTERN)).not.toThrow();
  });

  it.each([SES_DELIVERY, SES_BOUNCE, SES_COMPLAINT])('send a %s event of mail tagged with a campaign to campaignFeedback', (detailType) => {
    expect(targetsOf(ses(detailType, { campaign: ['camp-1'], kind: ['marketing'] }))).toContain('campaignFeedback');
  });

  it('send SES events of untagged mail, and other SES events, elsewhere only', () => {
    expect(targetsOf(ses(SES_DELIVERY, { kind: ['service'] }))).not.toContain('campaignFeedback');
    expect(targetsOf(ses('Email Opened', { campaign: ['camp-1'] }))).not.toContain('campaignFeedback');
  });

  it('keep a bounce of campaign mail going to the suppression consumer as well', () => {
    expect(targetsOf(ses(SES_BOUNCE, { campaign: ['camp-1'] }))).toEqual(expect.arrayContaining(['emailFeedback', 'campaignFeedback']));
  });

  it('send a withdrawal to campaignFeedback only when it names a campaign', () => {
    expect(targetsOf(withdrawal({ customerId: 'c-1', topic: 'newsletter', source: 'unsubscribe_link', campaignId: 'camp-1' }))).toContain('campaignFeedback');
    expect(targetsOf(withdrawal({ customerId: 'c-1', topic: 'newsletter', source: 'unsubscribe_link' }))).not.toContain('campaignFeedback');
  });
});
