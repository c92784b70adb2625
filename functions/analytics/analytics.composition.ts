import type { Clock, IdGenerator } from '#domain/shared/ports.ts';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { clvUseCases } from '#domain/analytics/clv-fit.use-cases.ts';
import type { WorkerLease } from '#domain/analytics/job-lease.ts';
import { FUNCTIONS } from '#infra/routes.ts';
import { analyticsMergeConsumer } from '#domain/analytics/customer-merge.use-cases.ts';
import { purchaseFeed } from '#domain/analytics/purchase-feed.use-cases.ts';
import { wonOpportunityPurchases } from '#domain/analytics/won-opportunity-purchases.ts';
import { dynamoAccountRepository } from '../sales/account.dynamodb-repository.ts';
import { dynamoOpportunityRepository } from '../sales/opportunity.dynamodb-repository.ts';
import { dynamoPurchaseInteractions } from '../sales/purchase-interactions.dynamodb.ts';
import { dynamoAnalyticsMergeStore } from './customer-merge.dynamodb.ts';
import { dynamoJobStore, dynamoModelStore, dynamoPurchaseSource, dynamoScoreStore } from './analytics.dynamodb.ts';
import { dynamoPurchaseFeedStore } from './purchase-feed.dynamodb-store.ts';
import { dynamoInteractionMix, dynamoSegmentationStore } from './segmentation.dynamodb.ts';

export interface AnalyticsInfra {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/**
 * The analyticsJobs worker's lease (job-lease.ts): its function's timeout, and the deliveries of
 * one event: the first and Lambda's asynchronous-invocation retries (1: ASYNC_INVOKE.analyticsJobs
 * in infra/topology.ts, which this module does not import so as to keep the route schemas out of
 * the bundle; test/infra/crm-async-invoke.test.ts checks the two agree).
 */
export const WORKER_LEASE: WorkerLease = { timeoutSeconds: FUNCTIONS.analyticsJobs.timeoutSeconds, attempts: 1 + 1 };

/** The customer value use cases as the analytics functions (HTTP, worker, feed) and the local runtime build them. */
export function clvUseCasesFor(infra: AnalyticsInfra, settings: { currency: string }) {
  return clvUseCases({
    purchases: dynamoPurchaseSource(infra),
    models: dynamoModelStore(infra),
    scores: dynamoScoreStore(infra),
    jobs: dynamoJobStore(infra),
    clock: infra.clock,
    ids: infra.ids,
    currency: settings.currency,
    lease: WORKER_LEASE,
    mix: dynamoInteractionMix(infra),
    segmentation: dynamoSegmentationStore(infra),
  });
}

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
