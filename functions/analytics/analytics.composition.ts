import type { Clock, IdGenerator } from '#domain/shared/ports.ts';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { purchaseFeed } from '#domain/analytics/purchase-feed.use-cases.ts';
import { dynamoPurchaseInteractions } from '../sales/purchase-interactions.dynamodb.ts';
import { dynamoPurchaseFeedStore } from './purchase-feed.dynamodb-store.ts';

export interface AnalyticsInfra {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** The analytics feed as its Lambda and the local runtime build it. */
export function purchaseFeedFor(infra: AnalyticsInfra, settings: { currency: string }) {
  return purchaseFeed({ interactions: dynamoPurchaseInteractions(infra), purchases: dynamoPurchaseFeedStore(infra), currency: settings.currency });
}
