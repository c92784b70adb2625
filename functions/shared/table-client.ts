import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { boundedClientConfig, type ClientLimits } from './bounded-client.ts';
import { meterConsumedCapacity } from './consumed-capacity.ts';
import { recordTableRequests } from './table-requests.ts';

/**
 * Every DynamoDB call is bounded: without these the SDK waits for an unreachable or silent
 * endpoint until Lambda's own timeout (a 500 from API Gateway, or a hang locally). DynamoDB
 * answers in milliseconds, so a connection that takes a second or a request that takes two is a
 * fault; three attempts (the SDK's default retry strategy, with backoff) end after ~7 s at most,
 * inside the functions' 10 s timeout, and the caller gets a 503 with Retry-After.
 */
export const TABLE_CLIENT_LIMITS: ClientLimits = { connectionTimeoutMs: 1_000, requestTimeoutMs: 2_000, maxAttempts: 3 };

/** One document client per process (module scope of each composition root). */
export function createTableClient(config: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({ ...boundedClientConfig(TABLE_CLIENT_LIMITS), ...config }),
    { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } },
  );
  // Metering (issue 14): every call's consumed capacity goes to the invocation's tally.
  meterConsumedCapacity(client);
  // The key-prefix test's seam (issue 14): which partition keys each request names.
  recordTableRequests(client);
  return client;
}
