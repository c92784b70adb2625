import type { Context } from 'aws-lambda';
import type { ApiEvent, ApiResult } from '#functions/shared/http-app.ts';
import { apiEvent as apiGatewayEvent } from '../test/support/api-gateway.ts';

export type Invoke = (event: ApiEvent) => Promise<ApiResult>;

export interface Request {
  /** The topology's route, e.g. `GET /customers/{id}`. */
  readonly route: string;
  readonly pathParameters?: Record<string, string>;
  readonly query?: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  /** Value of the `cognito:groups` claim as API Gateway flattens it. */
  readonly groups?: string;
}

let sequence = 0;

/** An API Gateway HTTP API (payload v2) event as the JWT authorizer delivers it (the tests' builder). */
export function apiEvent({ route, pathParameters, query, headers, body, groups = '[agent]' }: Request): ApiEvent {
  return apiGatewayEvent({
    routeKey: route,
    ...(pathParameters ? { pathParameters } : {}),
    ...(query ? { query } : {}),
    ...(headers ? { headers } : {}),
    body,
    claims: { sub: 'bench', 'cognito:groups': groups },
  });
}

/** Enough of the Lambda context for middy and our handlers. */
export function lambdaContext(functionName = 'customers'): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: `bench-${++sequence}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'bench',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** The response body parsed, failing loudly when the status is not the one the bench relies on. */
export function expectStatus(result: ApiResult, status: number, what: string): unknown {
  if (result.statusCode !== status) {
    throw new Error(`${what}: expected HTTP ${status}, got ${result.statusCode} ${result.body ?? ''}`);
  }
  return result.body ? JSON.parse(result.body) : undefined;
}
