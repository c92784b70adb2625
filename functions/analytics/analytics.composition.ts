import type { Clock, IdGenerator } from '#domain/shared/ports.ts';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { clvUseCases } from '#domain/analytics/clv-fit.use-cases.ts';
import { purchaseFeed } from '#domain/analytics/purchase-feed.use-cases.ts';
import { dynamoPurchaseInteractions } from '../sales/purchase-interactions.dynamodb.ts';
import { dynamoJobStore, dynamoModelStore, dynamoPurchaseSource, dynamoScoreStore } from './analytics.dynamodb.ts';
import { dynamoPurchaseFeedStore } from './purchase-feed.dynamodb-store.ts';
import { dynamoInteractionMix, dynamoSegmentationStore } from './segmentation.dynamodb.ts';

export interface AnalyticsInfra {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

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
    mix: dynamoInteractionMix(infra),
    segmentation: dynamoSegmentationStore(infra),
  });
}

/** The analytics feed: each purchase recorded once, then its customer's scores refreshed from the current model. */
export function purchaseFeedFor(infra: AnalyticsInfra, settings: { currency: string }) {
  const clv = clvUseCasesFor(infra, settings);
  return purchaseFeed({
    interactions: dynamoPurchaseInteractions(infra),
    purchases: dynamoPurchaseFeedStore(infra),
    currency: settings.currency,
    afterPurchase: (customerId) => clv.refreshScores(customerId),
  });
}
