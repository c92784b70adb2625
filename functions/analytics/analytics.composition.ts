import { analyticsMergeConsumer } from '#domain/analytics/customer-merge.use-cases.ts';
import { purchaseFeed } from '#domain/analytics/purchase-feed.use-cases.ts';
import { wonOpportunityPurchases } from '#domain/analytics/won-opportunity-purchases.ts';
import { dynamoAccountRepository } from '../sales/account.dynamodb-repository.ts';
import { dynamoOpportunityRepository } from '../sales/opportunity.dynamodb-repository.ts';
import { dynamoPurchaseInteractions } from '../sales/purchase-interactions.dynamodb.ts';
import { type AnalyticsInfra, clvUseCasesFor } from './clv.part.ts';
import { dynamoAnalyticsMergeStore } from './customer-merge.dynamodb.ts';
import { dynamoPurchaseFeedStore } from './purchase-feed.dynamodb-store.ts';

// The customer value use cases and the worker's lease live with the routes that use them (clv.part.ts).
export { type AnalyticsInfra, clvUseCasesFor, WORKER_LEASE } from './clv.part.ts';

/**
 * The analyticsFeed function's consumers: purchase interactions, won opportunities (read through
 * the sales context's repositories) and merges; each refreshes the scores of the customers it touched.
 */
export function analyticsFeedConsumersFor(infra: AnalyticsInfra, settings: { currency: string }) {
  const clv = clvUseCasesFor(infra, settings);
  const refresh = (customerId: string) => clv.refreshScores(customerId);
  return {
    feed: purchaseFeed({ interactions: dynamoPurchaseInteractions(infra), purchases: dynamoPurchaseFeedStore(infra), currency: settings.currency, afterPurchase: refresh }),
    won: wonOpportunityPurchases({ opportunities: dynamoOpportunityRepository(infra), contacts: dynamoAccountRepository(infra), purchases: dynamoPurchaseFeedStore(infra), afterPurchase: refresh }),
    merges: analyticsMergeConsumer({ store: dynamoAnalyticsMergeStore(infra), afterMerge: refresh }),
  };
}
