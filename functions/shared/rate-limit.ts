import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '#domain/shared/ports.ts';
import type { ApiResult, HttpRequest } from './http-app.ts';
import { PROBLEM_TITLES, problemResponse, problemType } from './problem.ts';

// A fixed-window rate limit for public routes, counted in DynamoDB (Lambda instances share
// nothing else). One item per scope, client and window: a conditional ADD counts the request and
// refuses the one over the limit; the key is a truncated SHA-256 of scope, client and window, and
// the item expires (TTL) when its window ends, so no address is stored, and nothing outlives the window.
//   counter   pk RATE#<sha256(scope|client|window start), 32 hex>   sk RATE   hits, expiresAt

export interface RateLimit {
  /** Names what is limited (each scope counts apart), e.g. `article-feedback`. */
  readonly scope: string;
  readonly limit: number;
  readonly windowSeconds: number;
}

export type RateVerdict = { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

export interface RateLimiter {
  /** Counts one request of `client` (an address or a token subject) and says whether it is within the limit. */
  take(client: string): Promise<RateVerdict>;
}

export const rateKey = (scope: string, client: string, windowStart: number) => ({
  pk: `RATE#${createHash('sha256').update(`${scope}|${client}|${windowStart}`).digest('hex').slice(0, 32)}`,
  sk: 'RATE',
});

export function dynamoRateLimiter({ client, tableName, clock }: { client: DynamoDBDocumentClient; tableName: string; clock: Clock }, limit: RateLimit): RateLimiter {
  return {
    async take(who) {
      const nowSeconds = Math.floor(clock.now().getTime() / 1000);
      const windowStart = nowSeconds - (nowSeconds % limit.windowSeconds);
      const windowEnd = windowStart + limit.windowSeconds;
      try {
        await client.send(
          new UpdateCommand({
            TableName: tableName,
            Key: rateKey(limit.scope, who, windowStart),
            UpdateExpression: 'SET expiresAt = :end ADD hits :one',
            ConditionExpression: 'attribute_not_exists(hits) OR hits < :limit',
            ExpressionAttributeValues: { ':end': windowEnd, ':one': 1, ':limit': limit.limit },
          }),
        );
        return { allowed: true };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        return { allowed: false, retryAfterSeconds: Math.max(1, windowEnd - nowSeconds) };
      }
    },
  };
}

/** Who a public request counts against: its token's subject when it carries one, else its address. */
export const rateClient = (request: HttpRequest) => (request.principal ? `sub:${request.principal.sub}` : `ip:${request.sourceIp}`);

/** 429 problem+json with Retry-After. */
export function rateLimited(retryAfterSeconds: number): ApiResult {
  return problemResponse(
    { type: problemType('rate-limited'), title: PROBLEM_TITLES['rate-limited'], status: 429, detail: `Too many requests from here. Retry after ${retryAfterSeconds} seconds.` },
    { 'retry-after': String(retryAfterSeconds) },
  );
}
