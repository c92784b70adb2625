import * as z from '#domain/shared/zod.ts';
import { ROUTES, type RouteDef } from '#infra/topology.ts';

// The OpenAPI 3.1 document, generated from the same zod schemas that validate requests.

const FieldIssue = z.object({ path: z.string(), message: z.string() });

const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    errors: z.optional(z.array(FieldIssue)),
  })
  .register(z.globalRegistry, { id: 'Problem' });

const STANDARD_ERRORS: Record<number, string> = {
  400: 'Invalid request',
  401: 'Missing or invalid token',
  403: 'The role may not do this',
  404: 'Not found',
  415: 'Unsupported media type',
  422: 'Unprocessable request',
  500: 'Internal error',
  503: 'DynamoDB (or a service the route needs) is unavailable or too slow; retry after Retry-After seconds',
};

type Json = Record<string, unknown>;

export function openApiDocument(serverUrl = '/'): Json {
  const schemas: Json = {};
  const ref = (schema: z.core.$ZodType, io: 'input' | 'output'): Json => {
    const json = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any', reused: 'inline' }) as Json;
    // zod puts every schema with a registry id (the root included) under a local `$defs` and refers
    // to it as `#/$defs/<id>`, which resolves against the document root in OpenAPI: hoist them
    // into components.schemas and point the refs there.
    const { $schema: _ignored, $defs, ...rest } = json as Json & { $defs?: Record<string, Json> };
    for (const [name, def] of Object.entries($defs ?? {})) schemas[name] = toComponentRefs(def) as Json;
    const body = toComponentRefs(rest) as Json;
    const id = (z.globalRegistry.get(schema) as { id?: string } | undefined)?.id;
    if (!id) return body;
    const target = `#/components/schemas/${id}`;
    if (body.$ref !== target) schemas[id] = body;
    return { $ref: target };
  };
  ref(Problem, 'output');

  const paths: Record<string, Json> = {};
  for (const route of ROUTES as readonly RouteDef[]) {
    const operation: Json = {
      operationId: route.operationId,
      summary: route.summary,
      tags: [route.function],
      security: route.access === 'public' ? [] : [{ bearer: [] }],
      ...(route.access === 'public' ? {} : { 'x-roles': route.access }),
      parameters: [...pathParameters(route.path), ...queryParameters(route), ...headerParameters(route)],
      responses: responses(route, ref),
    };
    if (route.body) {
      const schema = ref(route.body, 'input');
      operation.requestBody = {
        required: true,
        content: Object.fromEntries(['application/json', ...(route.bodyTypes ?? [])].map((t) => [t, { schema }])),
      };
    }
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation };
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'eCRM API',
      version: '1.0.0',
      description: 'Serverless eCRM. Errors are application/problem+json (RFC 9457).',
    },
    servers: [{ url: serverUrl }],
    paths,
    components: {
      schemas,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
}

function toComponentRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toComponentRefs);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [
      key,
      key === '$ref' && typeof v === 'string' ? v.replace(/^#\/\$defs\//, '#/components/schemas/') : toComponentRefs(v),
    ]),
  );
}

function pathParameters(path: string): Json[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
}

function queryParameters(route: RouteDef): Json[] {
  if (!route.query) return [];
  const json = z.toJSONSchema(route.query, { io: 'input', unrepresentable: 'any' }) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    schema,
  }));
}

function headerParameters(route: RouteDef): Json[] {
  const headers: Json[] = [];
  if (route.method === 'PATCH' || route.method === 'DELETE') {
    headers.push({ name: 'If-Match', in: 'header', required: false, schema: { type: 'string' }, description: 'ETag of the version you read; stale -> 412' });
  }
  if (route.idempotent) {
    headers.push({ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 }, description: 'A retry with the same key and body returns the first response' });
  }
  return headers;
}

function responses(route: RouteDef, ref: (s: z.core.$ZodType, io: 'input' | 'output') => Json): Json {
  const out: Json = {};
  for (const [status, spec] of Object.entries(route.responses)) {
    const isError = Number(status) >= 400;
    out[status] = {
      description: spec.description,
      ...(spec.etag ? { headers: { ETag: { schema: { type: 'string' } } } } : {}),
      ...(spec.schema ? { content: { 'application/json': { schema: ref(spec.schema, 'output') } } } : {}),
      ...(isError ? { content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } } : {}),
    };
  }
  const standard = route.access === 'public' ? [400, 500, 503] : Object.keys(STANDARD_ERRORS).map(Number);
  for (const status of standard) {
    if (out[status]) continue;
    if (status === 415 && !route.body) continue;
    out[status] = {
      description: STANDARD_ERRORS[status],
      ...(status === 503 ? { headers: { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer', minimum: 1 } } } } : {}),
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    };
  }
  return out;
}
