import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * Every DynamoDB call is bounded: without these the SDK waits for an unreachable or silent
 * endpoint until Lambda's own timeout (a 500 from API Gateway, or a hang locally). DynamoDB
 * answers in milliseconds, so a connection that takes a second or a request that takes two is a
 * fault; three attempts (the SDK's default retry strategy, with backoff) end after ~7 s at most,
 * inside the functions' 10 s timeout, and the caller gets a 503 with Retry-After.
 */
export const TABLE_CLIENT_LIMITS = { connectionTimeoutMs: 1_000, requestTimeoutMs: 2_000, maxAttempts: 3 } as const;

/** One document client per process (module scope of each composition root). */
export function createTableClient(config: DynamoDBClientConfig = {}): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({
      maxAttempts: TABLE_CLIENT_LIMITS.maxAttempts,
      requestHandler: {
        connectionTimeout: TABLE_CLIENT_LIMITS.connectionTimeoutMs,
        requestTimeout: TABLE_CLIENT_LIMITS.requestTimeoutMs,
        // Without it the SDK only logs a warning when requestTimeout passes, and keeps waiting.
        throwOnRequestTimeout: true,
      },
      ...config,
    }),
    { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } },
  );
}
