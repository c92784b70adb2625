import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEcrmClient } from '../../clients/typescript/ecrm-client.ts';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

// The generated client (openapi-typescript + openapi-fetch) against the real local API.

let t: TestRuntime;
beforeAll(async () => {
  t = await startTestRuntime();
});
afterAll(async () => {
  await t?.runtime.stop();
});

describe('the generated TypeScript client against the local API', () => {
  it('creates a customer, reads it back and lists with a limit', async () => {
    const api = createEcrmClient(t.runtime.url, await t.token('agent'));
    const created = await api.POST('/customers', { body: { email: 'client@example.com', firstName: 'Cli' }, params: { header: { 'Idempotency-Key': 'client-1' } } });
    expect(created.response.status).toBe(201);
    const id = created.data!.id;
    expect(created.response.headers.get('location')).toBe(`/customers/${id}`);

    const read = await api.GET('/customers/{id}', { params: { path: { id } } });
    expect(read.data).toMatchObject({ id, email: 'client@example.com', firstName: 'Cli' });

    await api.POST('/customers', { body: { email: 'client2@example.com' } });
    const page = await api.GET('/customers', { params: { query: { limit: 1 } } });
    expect(page.data!.items).toHaveLength(1);
    expect(page.data!.nextCursor).toEqual(expect.any(String));

    const missing = await api.GET('/customers/{id}', { params: { path: { id: 'nobody' } } });
    expect(missing.response.status).toBe(404);
    expect(missing.error).toMatchObject({ type: 'urn:ecrm:problem:not-found', status: 404 });
  });
});
