import type { EventBridgeEvent } from 'aws-lambda';
import type { AnalyticsMergeConsumer } from '#domain/analytics/customer-merge.use-cases.ts';
import type { PurchaseFeed } from '#domain/analytics/purchase-feed.use-cases.ts';
import type { WonOpportunityPurchases } from '#domain/analytics/won-opportunity-purchases.ts';
import { CustomersMerged } from '#events/customers-merged.event.ts';
import { InteractionRecorded } from '#events/interaction-recorded.event.ts';
import { OpportunityWon } from '#events/opportunity-won.event.ts';
import { type LogLevel, log as writeLog } from '../shared/log.ts';

// Rule analytics-purchases: InteractionRecorded of type purchase. Rule analytics-won-opportunities:
// OpportunityWon (the amount shared by the account's contacts). Rule customers-merged-analytics:
// CustomersMerged (the merged-away customer's purchases move to the target). Anything but a thrown
// error is final (data without a value, or a customer gone, is logged and dropped); a thrown error
// makes EventBridge retry, and every write is idempotent, so a retry records each purchase once.

export interface AnalyticsFeedConsumers {
  readonly feed: PurchaseFeed;
  readonly won: WonOpportunityPurchases;
  readonly merges: AnalyticsMergeConsumer;
}

const log = ({ level, message, ...fields }: { level: LogLevel; message: string } & Record<string, unknown>) => writeLog(level, message, fields);

export function analyticsFeedHandler({ feed, won, merges }: AnalyticsFeedConsumers) {
  return async (event: EventBridgeEvent<string, unknown>) => {
    if (event['detail-type'] === OpportunityWon.detailType) {
      const { data } = OpportunityWon.detail.parse(event.detail);
      const result = await won.opportunityWon(data);
      log({ level: result.outcome === 'recorded' ? 'info' : 'warn', message: 'analytics won opportunity', opportunityId: data.opportunityId, ...result });
      return result;
    }
    if (event['detail-type'] === CustomersMerged.detailType) {
      const { data } = CustomersMerged.detail.parse(event.detail);
      const result = await merges.customersMerged(data);
      log({ level: result.outcome === 'merged' ? 'info' : 'warn', message: 'analytics customers merged', targetId: data.targetId, sourceId: data.sourceId, ...result });
      return result;
    }
    const { data } = InteractionRecorded.detail.parse(event.detail);
    const outcome = await feed.interactionRecorded(data);
    const level = outcome === 'recorded' || outcome === 'duplicate' ? 'info' : 'warn';
    log({ level, message: 'analytics purchase', customerId: data.customerId, interactionId: data.interactionId, outcome });
    return outcome;
  };
}
