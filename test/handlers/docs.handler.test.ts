import { compileErrors, validate } from '@readme/openapi-parser';
import { describe, expect, it } from 'vitest';
import { docsHandler } from '../../functions/docs/docs.app.ts';
import { ROUTES } from '../../infra/topology.ts';
import { invoke } from '../support/api-gateway.ts';

const fetchDocument = () => invoke(docsHandler(), { routeKey: 'GET /openapi.json' });

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

  it('points every $ref at an existing components.schemas entry', async () => {
    const { json } = await fetchDocument();
    const refs = [...JSON.stringify(json).matchAll(/"\$ref":"([^"]*)"/g)].map(([, ref]) => ref!);
    expect(refs.length).toBeGreaterThan(0);
    const names = Object.keys(json.components.schemas);
    for (const ref of refs) {
      expect(ref).toMatch(/^#\/components\/schemas\//);
      expect(names).toContain(ref.split('/').at(-1));
    }
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

  it('marks staff routes as needing a bearer token and the document route as open', async () => {
    const { json } = await fetchDocument();
    expect(json.paths['/customers'].post.security).toEqual([{ bearer: [] }]);
    expect(json.paths['/openapi.json'].get.security).toEqual([]);
  });
});
