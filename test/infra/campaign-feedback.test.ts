import { describe, expect, it } from 'vitest';
import { CAMPAIGN_UNSUBSCRIBE_PATTERN } from '#events/consent-withdrawn.event.ts';
import { SES_CAMPAIGN_FEEDBACK_PATTERN, SES_DELIVERY } from '#events/ses-feedback.event.ts';
import { TOPOLOGY } from '#infra/cdk/crm.stack.ts';
import { synthCrm } from './crm-app.ts';

// Issue 10 on AWS: SES's delivery events (with bounces and complaints) of campaign mail, and
// unsubscribes through its link, reach the campaignFeedback function.

describe('campaign feedback on AWS', () => {
  const crm = synthCrm({ topology: TOPOLOGY });
  const rules = Object.values(crm.resources('AWS::Events::Rule')).map((r) => r.Properties!);

  it('has the configuration set publish deliveries, bounces and complaints to EventBridge, and forwards them to the crm bus', () => {
    const destinations = Object.values(crm.resources('AWS::SES::ConfigurationSetEventDestination'));
    expect(destinations).toHaveLength(1);
    expect(destinations[0]!.Properties?.EventDestination.MatchingEventTypes).toEqual(expect.arrayContaining(['delivery', 'bounce', 'complaint']));
    const forwarder = rules.find((r) => r.EventBusName === 'default');
    expect(forwarder?.EventPattern['detail-type']).toContain(SES_DELIVERY);
  });

  it.each([
    ['SES feedback of campaign mail', SES_CAMPAIGN_FEEDBACK_PATTERN],
    ["unsubscribes through a campaign mail's link", CAMPAIGN_UNSUBSCRIBE_PATTERN],
  ])('routes %s to campaignFeedback, with a DLQ', (_, pattern) => {
    const rule = rules.find((r) => JSON.stringify(r.EventPattern) === JSON.stringify(pattern));
    expect(rule?.Targets).toEqual([expect.objectContaining({ Arn: { 'Fn::GetAtt': [crm.functionId('campaignFeedback'), 'Arn'] }, DeadLetterConfig: expect.any(Object) })]);
  });
});
