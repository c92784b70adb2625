import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock, IdGenerator } from '#domain/shared/ports.ts';

/** What every part of the sales function builds its adapters from (the Lambda and the local runtime give the same). */
export interface SalesInfra {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}
