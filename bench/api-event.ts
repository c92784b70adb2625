import type { Context } from 'aws-lambda';
import type { ApiEvent, ApiResult } from '#functions/shared/http-app.ts';

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

/** An API Gateway HTTP API (payload v2) event as the JWT authorizer delivers it. */
export function apiEvent({ route, pathParameters, query, headers = {}, body, groups = '[agent]' }: Request): ApiEvent {
  const [method = 'GET', template = '/'] = route.split(' ');
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(pathParameters?.[name] ?? ''));
  const rawQueryString = new URLSearchParams(query).toString();
  const requestId = `bench-${++sequence}`;
  const now = Date.now();
  return {
    version: '2.0',
    routeKey: route,
    rawPath: path,
    rawQueryString,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(query ? { queryStringParameters: query } : {}),
    ...(pathParameters ? { pathParameters } : {}),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'bench',
      domainName: 'bench.local',
      domainPrefix: 'bench',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      requestId,
      routeKey: route,
      stage: '$default',
      time: new Date(now).toISOString(),
      timeEpoch: now,
      authorizer: {
        principalId: '',
        integrationLatency: 0,
        jwt: { claims: { sub: 'bench', 'cognito:groups': groups }, scopes: [] },
      },
    },
  };
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
