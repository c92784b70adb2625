import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { ApiEvent } from '#functions/shared/http-app.ts';
import { type FunctionName, ROUTES, type RouteDef, routeKey } from '../topology.ts';
import { verifyDevToken } from './dev-jwt.ts';
import { correlationIdOf } from '#functions/shared/log.ts';

// A local API Gateway HTTP API: matches the topology's routes, runs the JWT authorizer, builds
// payload-2.0 events (claims under requestContext.authorizer.jwt.claims, arrays flattened to
// "[a b]" as the real authorizer does) and returns the handler's result as API Gateway would.

export type LambdaHandler = (event: ApiEvent, context: Context) => Promise<APIGatewayProxyStructuredResultV2>;

export interface LocalEndpoint {
  readonly method: string;
  readonly path: string;
  /** `body` is sent as JSON; `raw` as it is (with its content-type in `headers`). */
  readonly handle: (req: IncomingMessage, body: Buffer) => Promise<{ status: number; body?: unknown; raw?: string | Buffer; headers?: Record<string, string> }>;
}


const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

interface CompiledRoute {
  readonly route: RouteDef;
  readonly regex: RegExp;
  readonly names: string[];
}

function compile(route: RouteDef): CompiledRoute {
  const names: string[] = [];
  const source = route.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{(\w+)\\?\}/g, (_m, name: string) => {
    names.push(name);
    return '([^/]+)';
  });
  return { route, regex: new RegExp(`^${source}$`), names };
}

export function createGateway(options: {
  handlers: Record<FunctionName, LambdaHandler | undefined>;
  localEndpoints: readonly LocalEndpoint[];
  corsOrigins: string;
  isReady: () => boolean;
  /** One line per request (method, path, status, duration, correlation id); silent when absent. */
  log?: (line: string) => void;
  /** Checks the runtime's parts once it is ready (GET /health). */
  health: () => Promise<{ status: string }>;
}) {
  const routes = (ROUTES as readonly RouteDef[]).map(compile);

  async function handle(req: IncomingMessage, res: ServerResponse, requestId: string) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    const cors = corsHeaders(options.corsOrigins, req);

    if (method === 'OPTIONS' && req.headers['access-control-request-method']) {
      return send(res, 204, '', { ...cors, 'access-control-max-age': '600' });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_PAYLOAD_BYTES) return send(res, 413, JSON.stringify({ message: 'Request Entity Too Large' }), { 'content-type': 'application/json', ...cors });
      chunks.push(chunk as Buffer);
    }
    const body = Buffer.concat(chunks);

    if (method === 'GET' && url.pathname === '/health') {
      const report = options.isReady() ? await options.health() : { status: 'starting' };
      return send(res, report.status === 'ok' ? 200 : 503, JSON.stringify(report), { 'content-type': 'application/json', 'cache-control': 'no-store', ...cors });
    }
    const local = options.localEndpoints.find((e) => e.method === method && e.path === url.pathname);
    if (local) {
      const out = await local.handle(req, body);
      return send(res, out.status, out.raw ?? JSON.stringify(out.body), { 'content-type': 'application/json', ...out.headers, ...cors });
    }

    const match = findRoute(routes, method, url.pathname);
    if (!match) return send(res, 404, JSON.stringify({ message: 'Not Found' }), { 'content-type': 'application/json', ...cors });
    const { route, pathParameters } = match;

    let claims: Record<string, string> | undefined;
    if (route.access !== 'public') {
      const auth = String(req.headers.authorization ?? '');
      const token = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
      const payload = token ? await verifyDevToken(token) : undefined;
      if (!payload) {
        return send(res, 401, JSON.stringify({ message: 'Unauthorized' }), {
          'content-type': 'application/json',
          'www-authenticate': 'Bearer',
          ...cors,
        });
      }
      claims = flattenClaims(payload);
    }

    const handler = options.handlers[route.function];
    if (!handler) return send(res, 500, JSON.stringify({ message: 'Internal Server Error' }), { 'content-type': 'application/json', ...cors });
    const event = toEvent(req, url, body, route, pathParameters, claims, requestId);
    let result: APIGatewayProxyStructuredResultV2;
    try {
      result = await handler(event, lambdaContext(route.function, event.requestContext.requestId));
    } catch (error) {
      console.error(`[gateway] ${route.function} threw: ${String(error)}`);
      return send(res, 500, JSON.stringify({ message: 'Internal Server Error' }), { 'content-type': 'application/json', ...cors });
    }
    const headers: Record<string, string> = { ...cors, 'apigw-requestid': event.requestContext.requestId };
    for (const [name, value] of Object.entries(result.headers ?? {})) headers[name.toLowerCase()] = String(value);
    const payload = result.body === undefined ? '' : result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
    return send(res, result.statusCode ?? 200, payload, headers, result.cookies);
  }

  const server = createServer((req, res) => {
    const started = performance.now();
    const requestId = randomUUID();
    // The rule the HTTP app applies (functions/shared/log.ts): the caller's x-correlation-id, else a
    // traceparent's trace-id, else the request id; one value ties the log line, the response and the events together.
    const one = (name: string) => (typeof req.headers[name] === 'string' ? (req.headers[name] as string) : undefined);
    const correlationId = correlationIdOf({ 'x-correlation-id': one('x-correlation-id'), traceparent: one('traceparent') }, requestId);
    res.setHeader('x-correlation-id', correlationId);
    if (options.log) {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname; // never the query: it can carry link tokens
      res.once('finish', () =>
        options.log!(`[http] ${req.method} ${path} ${res.statusCode} ${Math.round(performance.now() - started)}ms correlation=${correlationId}`),
      );
    }
    handle(req, res, requestId).catch((error) => {
      console.error(`[gateway] ${String(error)}`);
      if (!res.headersSent) send(res, 500, JSON.stringify({ message: 'Internal Server Error' }), { 'content-type': 'application/json' });
      else res.end();
    });
  });
  // Node's default of 5 s races a client reusing an idle connection (its request meets a socket
  // the server just closed: ECONNRESET); API Gateway keeps idle connections open far longer.
  server.keepAliveTimeout = 60_000;
  return server;
}

function findRoute(routes: readonly CompiledRoute[], method: string, path: string) {
  for (const compiled of routes) {
    if (compiled.route.method !== method) continue;
    const m = compiled.regex.exec(path);
    if (!m) continue;
    try {
      const pathParameters = Object.fromEntries(compiled.names.map((name, i) => [name, decodeURIComponent(m[i + 1]!)]));
      return { route: compiled.route, pathParameters };
    } catch {
      return undefined; // a malformed %-escape matches no route, as in API Gateway
    }
  }
  return undefined;
}

function flattenClaims(payload: Record<string, unknown>): Record<string, string> {
  const claims: Record<string, string> = {};
  for (const [name, value] of Object.entries(payload)) {
    claims[name] = Array.isArray(value) ? `[${value.join(' ')}]` : typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  return claims;
}

const TEXT_TYPES = /^(text\/|application\/(json|[\w.+-]+\+json|x-www-form-urlencoded|xml))/i;

function toEvent(
  req: IncomingMessage,
  url: URL,
  body: Buffer,
  route: RouteDef,
  pathParameters: Record<string, string>,
  claims: Record<string, string> | undefined,
  requestId: string,
): ApiEvent {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name === 'cookie') continue;
    headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  headers['x-forwarded-proto'] = 'http'; // API Gateway sets it (https there)
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  const now = new Date();
  const isText = body.length === 0 || TEXT_TYPES.test(String(req.headers['content-type'] ?? ''));
  const event = {
    version: '2.0',
    routeKey: routeKey(route),
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    ...(req.headers.cookie ? { cookies: req.headers.cookie.split(/;\s*/) } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(Object.keys(pathParameters).length ? { pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      ...(claims ? { authorizer: { principalId: '', integrationLatency: 0, jwt: { claims, scopes: [] } } } : {}),
      domainName: String(req.headers.host ?? 'localhost'),
      domainPrefix: 'localhost',
      http: {
        method: route.method,
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: String(req.headers['user-agent'] ?? ''),
      },
      requestId,
      routeKey: routeKey(route),
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length ? { body: isText ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: !isText,
  };
  return event as unknown as ApiEvent;
}

function lambdaContext(functionName: string, requestId: string): Context {
  const deadline = Date.now() + 29_000;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function corsHeaders(origins: string, req: IncomingMessage): Record<string, string> {
  const origin = req.headers.origin;
  if (!origin || !origins) return {};
  const allowed = origins === '*' || origins.split(',').map((o) => o.trim()).includes(origin);
  if (!allowed) return {};
  return {
    'access-control-allow-origin': origins === '*' ? '*' : origin,
    'access-control-allow-methods': 'GET,POST,PUT,PATCH,DELETE,OPTIONS',
    'access-control-allow-headers': 'authorization,content-type,if-match,idempotency-key,x-correlation-id',
    'access-control-expose-headers': 'etag,location,x-correlation-id',
  };
}

function send(res: ServerResponse, status: number, body: string | Buffer, headers: Record<string, string>, cookies?: string[]) {
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (cookies?.length) res.setHeader('set-cookie', cookies);
  res.end(body);
}
