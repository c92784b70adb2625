import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { contextOfApiFunction } from '#infra/api-contexts.ts';
import { routeKey, type RouteSpec } from '#infra/route-access.ts';
import { type Principal, principalFromClaims } from './auth.ts';
import { forbidden, HttpError, unauthorized } from './http-error.ts';
import { INTERNAL_PROBLEM, problemResponse, toProblem } from './problem.ts';
import { invocationEnded } from './invocation-end.ts';
import { correlationIdOf, log, withCorrelation } from './log.ts';
import { recordMetrics } from './metrics.ts';
import './metering.ts';

export type ApiEvent = APIGatewayProxyEventV2WithJWTAuthorizer;
export type ApiResult = APIGatewayProxyStructuredResultV2;

export interface HttpRequest {
  readonly route: RouteSpec;
  readonly params: Readonly<Record<string, string | undefined>>;
  readonly query: Readonly<Record<string, string | undefined>>;
  /** Lower-cased names, as API Gateway delivers them. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: string | undefined;
  readonly principal: Principal | undefined;
  readonly requestId: string;
  /** Of this request and every event it causes (x-correlation-id, traceparent's trace-id, else requestId). */
  readonly correlationId: string;
  /** Public base URL of this API as the caller reached it (for links in email). */
  readonly baseUrl: string;
  /** The caller's address as API Gateway saw it (rate limits only: never stored). */
  readonly sourceIp: string;
}

export type RouteHandler<D> = (request: HttpRequest, deps: D) => Promise<ApiResult>;

/**
 * One Lambda per bounded context: this builds its middy handler from the function's own routes
 * (its list in infra/route-lists/). Every route of the function must have a handler, and no other route may.
 */
export function httpApp<D>(own: readonly RouteSpec[], handlers: Record<string, RouteHandler<D>>, deps: D) {
  const fn = own[0]?.function;
  const routes = new Map<string, RouteSpec>(own.map((r) => [routeKey(r), r]));
  const missing = [...routes.keys()].filter((k) => !handlers[k]);
  const extra = Object.keys(handlers).filter((k) => !routes.has(k));
  if (missing.length || extra.length) {
    throw new Error(`Routes of ${fn} do not match its handlers (missing: ${missing}; extra: ${extra})`);
  }

  const app = middy<ApiEvent, ApiResult>()
    .use(problemErrors())
    .handler(async (event) => {
      const route = routes.get(event.routeKey);
      const handle = handlers[event.routeKey];
      if (!route || !handle) throw new HttpError(404, `No route ${event.routeKey}.`);
      const request = toRequest(event, route);
      authorize(route, request.principal);
      return handle(request, deps);
    });
  return observed(fn ? contextOfApiFunction(fn) : 'platform', routes, app);
}

/**
 * Every request runs with its correlationId (log lines, events it causes), answers it in
 * `x-correlation-id`, and ends with one metrics line (Requests, Latency by context, route and
 * status class) and `invocationEnded`.
 */
function observed(context: string, routes: ReadonlyMap<string, RouteSpec>, app: (event: ApiEvent, lambda: Context) => Promise<ApiResult>) {
  return async (event: ApiEvent, lambda: Context): Promise<ApiResult> => {
    const started = performance.now();
    const correlationId = correlationIdOf(lowerCased(event.headers), event.requestContext?.requestId ?? 'unknown');
    let status = 500; // what API Gateway answers when the function throws
    try {
      const response = await withCorrelation(correlationId, () => app(event, lambda));
      status = response.statusCode ?? 200;
      return { ...response, headers: { ...response.headers, 'x-correlation-id': correlationId } };
    } finally {
      const durationMs = Math.round(performance.now() - started);
      // An unknown route key is not a dimension value: a caller could mint as many as it likes.
      const route = routes.has(event.routeKey) ? event.routeKey : 'unmatched';
      recordMetrics(
        { context, route, statusClass: `${Math.floor(status / 100)}xx` },
        [{ name: 'Requests', value: 1 }, { name: 'Latency', value: durationMs, unit: 'Milliseconds' }],
        { properties: { status, correlationId } },
      );
      invocationEnded({ context, kind: 'http', name: route, outcome: String(status), durationMs, correlationId });
    }
  };
}

function lowerCased(headers: ApiEvent['headers'] | undefined): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers ?? {})) out[name.toLowerCase()] = value;
  return out;
}

function authorize(route: RouteSpec, principal: Principal | undefined) {
  if (route.access === 'public') return;
  if (!principal) throw unauthorized();
  if (!principal.roles.some((role) => route.access.includes(role))) throw forbidden();
}

function toRequest(event: ApiEvent, route: RouteSpec): HttpRequest {
  const raw = event.body;
  const body = raw === undefined || raw === null ? undefined : event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  const headers = lowerCased(event.headers);
  const requestId = event.requestContext?.requestId ?? 'unknown';
  return {
    route,
    params: event.pathParameters ?? {},
    query: event.queryStringParameters ?? {},
    headers,
    body,
    principal: principalFromClaims(event.requestContext?.authorizer?.jwt?.claims),
    requestId,
    correlationId: correlationIdOf(headers, requestId),
    baseUrl: `${headers['x-forwarded-proto'] ?? 'https'}://${event.requestContext?.domainName ?? 'localhost'}`,
    sourceIp: event.requestContext?.http?.sourceIp ?? 'unknown',
  };
}

/** Maps named errors to problem+json; anything else is a 500 that reveals nothing. */
function problemErrors(): middy.MiddlewareObj<ApiEvent, ApiResult> {
  return {
    onError: async (request) => {
      const problem = toProblem(request.error);
      if (problem) {
        if (problem.status === 503) {
          const name = request.error instanceof Error ? request.error.name : typeof request.error;
          log('warn', 'dependency unavailable', { requestId: request.event.requestContext?.requestId, error: name });
        }
        request.response = problemResponse(problem);
        return;
      }
      const error = request.error;
      // Name and stack only: messages of unknown errors may quote personal data.
      log('error', 'unhandled error', {
        requestId: request.event.requestContext?.requestId,
        routeKey: request.event.routeKey,
        error: error instanceof Error ? error.name : typeof error,
        stack: error instanceof Error ? error.stack?.split('\n').slice(1, 11).join('\n') : undefined,
      });
      request.response = problemResponse(INTERNAL_PROBLEM);
    },
  };
}
