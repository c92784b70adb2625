import { compileErrors, validate } from '@readme/openapi-parser';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICES } from '../../domain/operations/usage.ts';
import { docsHandler } from '../../functions/docs/docs.app.ts';
import { ROUTES } from '../../infra/topology.ts';
import { invoke } from '../support/api-gateway.ts';

// GET /usage's ports play no part in the document: an empty source.
const docs = docsHandler({ usage: { unitsByContextAndDay: async () => [] }, prices: DEFAULT_PRICES });
const fetchDocument = () => invoke(docs, { routeKey: 'GET /openapi.json' });

describe('GET /openapi.json', () => {
  it('is public: answers 200 JSON without any token', async () => {
    const response = await fetchDocument();
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.json.openapi).toBe('3.1.0');
  });

  it('serves a document that passes OpenAPI 3.1 validation', async () => {
    const { json } = await fetchDocument();
    const result = await validate(structuredClone(json));
    expect(result.valid ? 'valid' : compileErrors(result)).toBe('valid');
  });

  it('points every $ref at an existing components.schemas entry (components.headers for the shared x-correlation-id)', async () => {
    const { json } = await fetchDocument();
    const refs = [...JSON.stringify(json).matchAll(/"\$ref":"([^"]*)"/g)].map(([, ref]) => ref!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) {
      expect(ref).toMatch(/^#\/components\/(schemas|headers)\/[^/]+$/);
      const [, , kind, name] = ref.split('/');
      expect(Object.keys(json.components[kind!]), ref).toContain(name);
    }
    expect(refs.filter((ref) => ref.startsWith('#/components/headers/'))).not.toEqual([]);
  });

  it('declares on every operation the 503 (with Retry-After) that an unavailable table gives', async () => {
    const { json } = await fetchDocument();
    for (const [path, ops] of Object.entries(json.paths as Record<string, Record<string, { responses: Record<string, { headers?: Record<string, unknown> }> }>>)) {
      for (const [method, op] of Object.entries(ops)) {
        expect(op.responses['503']?.headers?.['Retry-After'], `${method} ${path}`).toBeDefined();
      }
    }
  });

  it('documents every route of the topology with its operationId', async () => {
    const { json } = await fetchDocument();
    const documented = Object.entries(json.paths as Record<string, Record<string, { operationId: string }>>).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => `${method.toUpperCase()} ${path} ${op.operationId}`),
    );
    expect(documented.sort()).toEqual(ROUTES.map((r) => `${r.method} ${r.path} ${r.operationId}`).sort());
  });

  it('declares request bodies from the zod schemas, including merge-patch for PATCH', async () => {
    const { json } = await fetchDocument();
    const patch = json.paths['/customers/{id}'].patch;
    expect(Object.keys(patch.requestBody.content).sort()).toEqual(['application/json', 'application/merge-patch+json']);
    const create = json.paths['/customers'].post.requestBody.content['application/json'].schema;
    const schema = create.$ref ? json.components.schemas[create.$ref.split('/').at(-1)] : create;
    expect(schema.required).toEqual(['email']);
    expect(schema.additionalProperties).toBe(false);
  });

  it('declares that erasure needs If-Match: the header is required and 428 is a documented answer', async () => {
    const { json } = await fetchDocument();
    const erase = json.paths['/customers/{id}'].delete;
    expect(erase.parameters).toContainEqual(expect.objectContaining({ name: 'If-Match', in: 'header', required: true }));
    expect(Object.keys(erase.responses)).toEqual(expect.arrayContaining(['204', '412', '428']));
    expect(json.paths['/customers/{id}'].patch.parameters).toContainEqual(expect.objectContaining({ name: 'If-Match', required: false }));
  });

  it('declares If-Match on every route that can answer 412, whatever its method (a campaign\'s moves, a segment\'s PUT)', async () => {
    const { json } = await fetchDocument();
    for (const [path, methods] of Object.entries(json.paths as Record<string, Record<string, { responses: Record<string, unknown>; parameters?: { name: string }[] }>>)) {
      for (const [method, op] of Object.entries(methods)) {
        const reads = (op.parameters ?? []).some((p) => p.name === 'If-Match');
        expect(reads, `${method} ${path}`).toBe('412' in op.responses);
      }
    }
    expect(json.paths['/campaigns/{id}/pause'].post.parameters).toContainEqual(expect.objectContaining({ name: 'If-Match', required: false }));
  });

  it('marks staff routes as needing a bearer token and the document route as open', async () => {
    const { json } = await fetchDocument();
    expect(json.paths['/customers'].post.security).toEqual([{ bearer: [] }]);
    expect(json.paths['/openapi.json'].get.security).toEqual([]);
  });
});

describe('GET /openapi.json declares what the API answers', () => {
  const operations = async () => {
    const { json } = await fetchDocument();
    return Object.entries(json.paths as Record<string, Record<string, any>>).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })),
    );
  };

  it('requires Location and ETag on the 201 of every route that creates an addressable resource', async () => {
    const { json } = await fetchDocument();
    for (const path of ['/customers', '/cases']) {
      const headers = json.paths[path].post.responses['201'].headers;
      expect(headers.Location).toMatchObject({ required: true, schema: { type: 'string' } });
      expect(headers.ETag).toMatchObject({ required: true, schema: { type: 'string' } });
    }
  });

  it('declares limit as an integer from 1 to 100 with its default on every listing (recommendations: 1 to 20, default 5)', async () => {
    const listings = (await operations()).filter(({ op }) => op.parameters.some((p: { name: string }) => p.name === 'limit'));
    expect(listings.length).toBeGreaterThanOrEqual(5);
    for (const { key, op } of listings) {
      const expected = key.endsWith('/recommendations') ? { type: 'integer', minimum: 1, maximum: 20, default: 5 } : { type: 'integer', minimum: 1, maximum: 100, default: 25 };
      expect(op.parameters.find((p: { name: string }) => p.name === 'limit').schema, key).toEqual(expected);
    }
  });

  it('lists the problem types, named by cause rather than status', async () => {
    const { json } = await fetchDocument();
    const types: string[] = json.components.schemas.Problem.properties.type.enum;
    for (const cause of ['validation', 'not-found', 'email-taken', 'merged', 'stale-version', 'idempotency-key-reused', 'body-too-large', 'internal']) {
      expect(types).toContain(`urn:ecrm:problem:${cause}`);
      expect(json.components.schemas.Problem.description).toContain(`urn:ecrm:problem:${cause}`);
    }
    expect(types.filter((t) => /:\d{3}$/.test(t))).toEqual([]);
  });

  it('names the JSON value schema instead of inlining a self-referencing union', async () => {
    const { json } = await fetchDocument();
    expect(json.components.schemas.JsonValue).toBeDefined();
    expect(json.components.schemas.Interaction.properties.data.additionalProperties).toEqual({ $ref: '#/components/schemas/JsonValue' });
    expect(Object.keys(json.components.schemas).filter((name) => name.startsWith('__'))).toEqual([]);
  });

  it('declares the pages behind email links as HTML with their token, and the unsubscribe form body', async () => {
    const { json } = await fetchDocument();
    for (const [path, method] of [['/optin/confirm', 'get'], ['/unsubscribe', 'get'], ['/unsubscribe', 'post']] as const) {
      const op = json.paths[path][method];
      expect(op.parameters).toContainEqual(expect.objectContaining({ name: 'token', in: 'query', required: true }));
      expect(Object.keys(op.responses['200'].content)).toEqual(['text/html']);
      expect(Object.keys(op.responses['400'].content)).toEqual(['text/html']);
    }
    const form = json.paths['/unsubscribe'].post.requestBody.content;
    expect(Object.keys(form)).toEqual(['application/x-www-form-urlencoded']);
  });

  it("declares 413 where a body is taken, 429 everywhere, and API Gateway's own 401 format", async () => {
    const ops = await operations();
    const withBody = ops.filter(({ op }) => op.requestBody?.content['application/json']);
    expect(withBody.length).toBe(45); // 23 before issue 11, and its 7: articles (create, patch), categories, article feedback, PATCH /me, /me cases and comments; issue 12's leads: create, capture, patch, convert; accounts: create, patch, put contact; PUT /products/{sku}; opportunities: create, patch; activities: create, patch; PUT /pipeline/stages; issue 13's POST /analytics/models/clv/fit; issue 15's POST /segments/preview;
    for (const { key, op } of withBody) expect(Object.keys(op.responses['413'].content).sort(), key).toEqual(['application/json', 'application/problem+json']);
    for (const { key, op } of ops) {
      expect(op.responses['429'].content['application/json'].schema, key).toEqual({ $ref: '#/components/schemas/GatewayMessage' });
      if (op.security.length) expect(op.responses['401'].content['application/json'].schema, key).toEqual({ $ref: '#/components/schemas/GatewayMessage' });
    }
    expect(ops.find(({ key }) => key === 'POST /cases/{id}/assign')!.op.responses['409']).toBeDefined();
  });
});
