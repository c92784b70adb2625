import middy from '@middy/core';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type RouteSpec, routeKey } from '#infra/routes.ts';
import { type Principal, principalFromClaims } from './auth.ts';
import { forbidden, HttpError, unauthorized } from './http-error.ts';
import { INTERNAL_PROBLEM, problemResponse, toProblem } from './problem.ts';
import { invocationEnded } from './invocation-end.ts';
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
  /** Public base URL of this API as the caller reached it (for links in email). */
  readonly baseUrl: string;
  /** The caller's address as API Gateway saw it (rate limits only: never stored). */
  readonly sourceIp: string;
}

export type RouteHandler<D> = (request: HttpRequest, deps: D) => Promise<ApiResult>;

/**
 * One Lambda per bounded context: this builds its middy handler from the function's own routes
 * (its list in infra/routes.ts). Every route of the function must have a handler, and no other route may.
 */
export function httpApp<D>(own: readonly RouteSpec[], handlers: Record<string, RouteHandler<D>>, deps: D) {
  const fn = own[0]?.function;
  const routes = new Map<string, RouteSpec>(own.map((r) => [routeKey(r), r]));
  const missing = [...routes.keys()].filter((k) => !handlers[k]);
  const extra = Object.keys(handlers).filter((k) => !routes.has(k));
  if (missing.length || extra.length) {
    throw new Error(`Routes of ${fn} do not match its handlers (missing: ${missing}; extra: ${extra})`);
  }

  return middy<ApiEvent, ApiResult>()
    .use(meteringEnd(fn ?? 'unknown'))
    .use(problemErrors())
    .handler(async (event) => {
      const route = routes.get(event.routeKey);
      const handle = handlers[event.routeKey];
      if (!route || !handle) throw new HttpError(404, `No route ${event.routeKey}.`);
      const request = toRequest(event, route);
      authorize(route, request.principal);
      return handle(request, deps);
    });
}

function authorize(route: RouteSpec, principal: Principal | undefined) {
  if (route.access === 'public') return;
  if (!principal) throw unauthorized();
  if (!principal.roles.some((role) => route.access.includes(role))) throw forbidden();
}

function toRequest(event: ApiEvent, route: RouteSpec): HttpRequest {
  const raw = event.body;
  const body = raw === undefined || raw === null ? undefined : event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(event.headers ?? {})) headers[name.toLowerCase()] = value;
  return {
    route,
    params: event.pathParameters ?? {},
    query: event.queryStringParameters ?? {},
    headers,
    body,
    principal: principalFromClaims(event.requestContext?.authorizer?.jwt?.claims),
    requestId: event.requestContext?.requestId ?? 'unknown',
    baseUrl: `${headers['x-forwarded-proto'] ?? 'https'}://${event.requestContext?.domainName ?? 'localhost'}`,
    sourceIp: event.requestContext?.http?.sourceIp ?? 'unknown',
  };
}

/**
 * Metering (issue 14, until the observe work's end-of-request wiring replaces this block): reports
 * each finished request to the invocation-end seam, after problemErrors has made its answer.
 */
function meteringEnd(context: string): middy.MiddlewareObj<ApiEvent, ApiResult> {
  // Per request: the local runtime serves requests of one function concurrently.
  const started = new WeakMap<object, number>();
  const end = (request: middy.Request<ApiEvent, ApiResult>) =>
    invocationEnded({ context, kind: 'http', name: request.event.routeKey ?? 'unknown', outcome: String(request.response?.statusCode ?? 500), durationMs: performance.now() - (started.get(request.event) ?? performance.now()) });
  return {
    before: async (request) => {
      started.set(request.event, performance.now());
    },
    after: async (request) => end(request),
    onError: async (request) => {
      if (request.response) end(request);
    },
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
          console.warn(JSON.stringify({ level: 'warn', message: 'dependency unavailable', requestId: request.event.requestContext?.requestId, error: name }));
        }
        request.response = problemResponse(problem);
        return;
      }
      const error = request.error;
      // Name and stack only: messages of unknown errors may quote personal data.
      console.error(
        JSON.stringify({
          level: 'error',
          message: 'unhandled error',
          requestId: request.event.requestContext?.requestId,
          routeKey: request.event.routeKey,
          error: error instanceof Error ? error.name : typeof error,
          stack: error instanceof Error ? error.stack?.split('\n').slice(1, 11).join('\n') : undefined,
        }),
      );
      request.response = problemResponse(INTERNAL_PROBLEM);
    },
  };
}
