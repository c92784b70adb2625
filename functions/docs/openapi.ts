import * as z from '#domain/shared/zod.ts';
import { GatewayMessage, Problem } from '#infra/response-schemas.ts';
import { FUNCTIONS, ROUTES, type RouteDef } from '#infra/topology.ts';
import { WIRE_INTEGERS } from '../shared/query.ts';

// The OpenAPI 3.1 document, generated from the same zod schemas that validate requests.

type Json = Record<string, unknown>;

export function openApiDocument(serverUrl = '/'): Json {
  const schemas: Json = {};
  const ref = (schema: z.core.$ZodType, io: 'input' | 'output'): Json => {
    const json = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any', reused: 'inline', override: anyJsonValue }) as Json;
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
  ref(GatewayMessage, 'output');

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
        // A form's token may come in the query instead (links), so the form itself is optional.
        required: !route.formBody,
        content: Object.fromEntries([...(route.formBody ? [] : ['application/json']), ...(route.bodyTypes ?? [])].map((t) => [t, { schema }])),
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
    tags: [...new Set(ROUTES.map((r) => r.function))].map((name) => ({ name, description: FUNCTIONS[name].description })),
    paths,
    components: {
      schemas,
      headers: { [CORRELATION_HEADER]: CORRELATION_ID },
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    },
  };
}

/**
 * JsonValue (z.json()) comes out as a union of the six JSON types whose array and object members
 * refer back to it. It accepts exactly what the empty schema accepts in a JSON body, and clients
 * cannot type it: openapi-typescript turns the self-reference through an array into a type that
 * TypeScript refuses as circular (openapi-ts/openapi-typescript#1603). So it is declared as what it
 * means, any JSON value.
 */
function anyJsonValue({ zodSchema, jsonSchema }: { zodSchema: z.core.$ZodType; jsonSchema: Json }) {
  if ((z.globalRegistry.get(zodSchema) as { id?: string } | undefined)?.id !== 'JsonValue') return;
  for (const key of Object.keys(jsonSchema)) if (key !== 'description') delete jsonSchema[key];
}

function toComponentRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toComponentRefs);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(closedTuple(value as Json)).map(([key, v]) => [
      key,
      key === '$ref' && typeof v === 'string' ? v.replace(/^#\/\$defs\//, '#/components/schemas/') : toComponentRefs(v),
    ]),
  );
}

/**
 * zod closes a tuple with `items: false`, which OpenAPI tools read as an array without item
 * schema (Spectral's array-items is an error). With maxItems equal to the tuple's length no item
 * can follow anyway, so `items` names what the tuple holds instead.
 */
function closedTuple(schema: Json): Json {
  const prefix = schema.prefixItems;
  if (schema.items !== false || !Array.isArray(prefix) || schema.maxItems !== prefix.length) return schema;
  const kinds = [...new Set(prefix.map((p) => JSON.stringify(p)))];
  return { ...schema, items: kinds.length === 1 ? prefix[0] : { anyOf: prefix } };
}

function pathParameters(path: string): Json[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
}

function queryParameters(route: RouteDef): Json[] {
  if (!route.query) return [];
  const json = z.toJSONSchema(route.query, {
    io: 'input',
    unrepresentable: 'any',
    // A query string is text, so Limit (and every wholeNumber) parses digits; on the wire it is the
    // integer OpenAPI serializes as such (style form), with the bounds and default the handlers apply.
    override: ({ zodSchema, jsonSchema }) => {
      const wire = WIRE_INTEGERS.get(zodSchema);
      if (!wire) return;
      for (const key of Object.keys(jsonSchema)) delete (jsonSchema as Json)[key];
      Object.assign(jsonSchema, { type: 'integer', ...wire });
    },
  }) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    schema,
  }));
}

function headerParameters(route: RouteDef): Json[] {
  const headers: Json[] = [];
  // Exactly the routes that can answer 412 read If-Match (PATCH, DELETE of a versioned resource, PUT of a segment, a campaign's moves).
  if (412 in route.responses) {
    // A route that declares 428 refuses to run without it.
    const required = 428 in route.responses;
    headers.push({ name: 'If-Match', in: 'header', required, schema: { type: 'string' }, description: `ETag of the version you read; stale -> 412${required ? '; missing -> 428' : ''}` });
  }
  if (route.idempotent) {
    headers.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,255}$' },
      description: 'A retry with the same key and body (within 24 hours) returns the first response and creates nothing; the same key with another body is 422',
    });
  }
  return headers;
}

/**
 * Every answer carries the request's correlation id (functions/shared/log.ts correlationIdOf): the
 * caller's own when usable, else a traceparent's trace-id, else the gateway's request id. Declared
 * once and referenced from every response. Not required: API Gateway's own answers (its JWT
 * authorizer's 401, throttling, a body past its limit) come without it.
 */
const CORRELATION_HEADER = 'CorrelationId';
const CORRELATION_ID = {
  required: false,
  description:
    "The request's correlation id, also on every log line and event it caused: the request's x-correlation-id when it is printable ASCII without spaces (at most 128 characters), else the trace-id of its traceparent, else API Gateway's request id",
  schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,128}$' },
};
const WITH_CORRELATION = { 'x-correlation-id': { $ref: `#/components/headers/${CORRELATION_HEADER}` } };

const PROBLEM = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
const FROM_GATEWAY = { 'application/json': { schema: { $ref: '#/components/schemas/GatewayMessage' } } };
const HTML = { 'text/html': { schema: { type: 'string' } } };

/** Answers any route may give besides its own: from the handler (problem+json) or from API Gateway itself. */
function standardResponses(route: RouteDef): Record<number, Json> {
  const withBody = Boolean(route.body);
  const out: Record<number, Json> = { 400: { description: 'Invalid request', content: PROBLEM } };
  if (route.access !== 'public') {
    out[401] = { description: 'Missing or invalid token (API Gateway\'s JWT authorizer answers in its own format)', content: { ...FROM_GATEWAY, ...PROBLEM } };
    out[403] = { description: 'The role may not do this', content: PROBLEM };
    out[404] = { description: 'Not found', content: PROBLEM };
    out[422] = { description: 'Unprocessable request', content: PROBLEM };
  }
  if (withBody) {
    out[413] = { description: 'Body too large (API Gateway answers beyond its own limit)', content: { ...PROBLEM, ...FROM_GATEWAY } };
    out[415] = { description: 'Unsupported media type', content: PROBLEM };
  }
  if (route.access !== 'public' && route.method !== 'GET') {
    out[409] = { description: 'Conflict: the resource changed concurrently (read it again and retry), or the write is not possible in its state', content: PROBLEM };
  }
  out[429] = { description: 'Throttled by API Gateway', content: FROM_GATEWAY };
  out[500] = { description: 'Internal error (API Gateway answers when the function fails)', content: { ...PROBLEM, ...FROM_GATEWAY } };
  out[503] = {
    description: 'Temporarily unavailable: retry after Retry-After seconds',
    headers: { 'Retry-After': { required: false, description: 'Seconds to wait before retrying', schema: { type: 'integer', minimum: 0 } } },
    content: { ...PROBLEM, ...FROM_GATEWAY },
  };
  return out;
}

function responses(route: RouteDef, ref: (s: z.core.$ZodType, io: 'input' | 'output') => Json): Json {
  const out: Record<number, Json> = standardResponses(route);
  for (const [status, spec] of Object.entries(route.responses)) {
    const headers: Json = {};
    if (spec.etag) headers.ETag = { required: true, description: 'The version as an entity tag, for If-Match', schema: { type: 'string', pattern: '^"\\d+"$' } };
    if (spec.location) headers.Location = { required: true, description: 'Where the created resource lives', schema: { type: 'string', format: 'uri-reference' } };
    // A function's own 429 (a rate limit of its own) comes besides API Gateway's throttling answer.
    if (spec.retryAfter) headers['Retry-After'] = { required: true, description: 'Seconds to wait before asking again', schema: { type: 'integer', minimum: 0 } };
    if (status === '429') headers['Retry-After'] = { required: false, description: 'Seconds to wait before retrying', schema: { type: 'integer', minimum: 0 } };
    const content = spec.html
      ? HTML
      : spec.schema
        ? { 'application/json': { schema: ref(spec.schema, 'output') }, ...(spec.alsoHtml ? HTML : {}) }
        : status === '429'
          ? { ...PROBLEM, ...FROM_GATEWAY }
          : Number(status) >= 400
            ? PROBLEM
            : undefined;
    out[Number(status)] = {
      description: spec.description,
      ...(Object.keys(headers).length ? { headers } : {}),
      ...(content ? { content } : {}),
    };
  }
  return Object.fromEntries(
    Object.entries(out)
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([status, response]) => [status, { ...response, headers: { ...WITH_CORRELATION, ...(response.headers as Json | undefined) } }]),
  );
}
