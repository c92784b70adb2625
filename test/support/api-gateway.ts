import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';

// API Gateway HTTP API (payload 2.0) events as the JWT authorizer delivers them, for driving the
// real middy handlers in unit tests.

type Claims = Record<string, string | number | boolean | string[]>;

export interface ApiRequest {
  readonly routeKey: string;
  readonly path?: string;
  readonly pathParameters?: Record<string, string>;
  readonly query?: Record<string, string>;
  /** Names are lower-cased, as API Gateway delivers them. */
  readonly headers?: Record<string, string>;
  /** Objects are sent as JSON text; strings verbatim. */
  readonly body?: unknown;
  /** undefined = no authorizer context at all (no token). */
  readonly claims?: Claims;
}

let counter = 0;

/**
 * Claims for a staff or customer token. By default `cognito:groups` arrives the way the API
 * Gateway JWT authorizer flattens arrays: "[agent marketer]".
 */
export function claimsFor(roles: readonly string[], options: { sub?: string; groups?: 'flattened' | 'json'; customerId?: string; accountId?: string } = {}): Claims {
  const groups = options.groups === 'json' ? JSON.stringify(roles) : `[${roles.join(' ')}]`;
  return {
    sub: options.sub ?? `user-${roles.join('-') || 'none'}`,
    'cognito:groups': groups,
    ...(options.customerId ? { 'custom:customerId': options.customerId } : {}),
    ...(options.accountId ? { 'custom:accountId': options.accountId } : {}),
  };
}

export function apiEvent(request: ApiRequest): APIGatewayProxyEventV2WithJWTAuthorizer {
  const [method = 'GET', routePath = '/'] = request.routeKey.split(' ');
  const rawPath = request.path ?? routePath.replace(/\{(\w+)\}/g, (_, name: string) => request.pathParameters?.[name] ?? name);
  const headers: Record<string, string> = { ...request.headers };
  const body = request.body === undefined ? undefined : typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
  if (body !== undefined && headers['content-type'] === undefined) headers['content-type'] = 'application/json';
  const requestId = `req-${++counter}`;
  const event = {
    version: '2.0',
    routeKey: request.routeKey,
    rawPath,
    rawQueryString: new URLSearchParams(request.query ?? {}).toString(),
    headers,
    ...(request.query ? { queryStringParameters: request.query } : {}),
    ...(request.pathParameters ? { pathParameters: request.pathParameters } : {}),
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded: false,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.test',
      domainPrefix: 'api',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'vitest' },
      requestId,
      routeKey: request.routeKey,
      stage: '$default',
      time: '15/Jan/2025:09:00:00 +0000',
      timeEpoch: 1736931600000,
      ...(request.claims ? { authorizer: { principalId: '', integrationLatency: 0, jwt: { claims: request.claims, scopes: [] } } } : {}),
    },
  };
  return event as unknown as APIGatewayProxyEventV2WithJWTAuthorizer;
}

export const lambdaContext: Context = {
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'customers',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-central-1:123456789012:function:customers',
  memoryLimitInMB: '256',
  awsRequestId: 'aws-req',
  logGroupName: '/aws/lambda/customers',
  logStreamName: 'stream',
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};

export interface ApiResponse {
  readonly statusCode: number;
  /** Header names lower-cased. */
  readonly headers: Record<string, string>;
  readonly text: string;
  readonly json: any;
}

type Handler = (event: APIGatewayProxyEventV2WithJWTAuthorizer, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

/** Invokes a middy handler with the event and returns the response with its body parsed. */
export async function invoke(handler: Handler, request: ApiRequest): Promise<ApiResponse> {
  const result = await handler(apiEvent(request), lambdaContext);
  const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
  const text = result.body ?? '';
  return { statusCode: result.statusCode ?? 200, headers, text, json: text === '' ? undefined : JSON.parse(text) };
}
