import type { EventBridgeEvent } from 'aws-lambda';
import type { WonOpportunityConsumer } from '#domain/sales/won-opportunity.use-cases.ts';
import { OpportunityWon } from '#events/opportunity-won.event.ts';
import { log } from '../shared/log.ts';

// Rule won-opportunities: OpportunityWon. A thrown error makes EventBridge retry; the purchases
// already recorded answer `duplicate` then (once per contact and opportunity).

export function wonOpportunitiesHandler(consumer: WonOpportunityConsumer) {
  return async (event: EventBridgeEvent<string, unknown>) => {
    const { metadata, data } = OpportunityWon.detail.parse(event.detail);
    const result = await consumer.opportunityWon(data, { correlationId: metadata.correlationId });
    log('info', 'won opportunity', { opportunityId: data.opportunityId, ...result });
    return result;
  };
}
