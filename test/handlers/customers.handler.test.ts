import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { customersHandler } from '../../functions/customers/customers.app.ts';
import { type ApiRequest, claimsFor, invoke } from '../support/api-gateway.ts';
import { type FakeCustomerRepository, fakeClock, fakeCustomerRepository, sequentialIds } from '../support/fakes.ts';
import { fakeErasureRequests } from '../support/erasure-fakes.ts';

const AGENT = claimsFor(['agent']);
const MARKETER = claimsFor(['marketer']);
const MANAGER = claimsFor(['manager']);

let repo: FakeCustomerRepository;
let handler: ReturnType<typeof customersHandler>;
let errorLog: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  const clock = fakeClock('2025-01-15T09:00:00.000Z');
  repo = fakeCustomerRepository({ clock });
  handler = customersHandler({ customers: repo, clock, ids: sequentialIds('c'), erasureRequests: fakeErasureRequests() });
  errorLog = vi.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterEach(() => {
  errorLog.mockRestore();
});

const call = (request: ApiRequest) => invoke(handler, request);

const post = (body: unknown, headers: Record<string, string> = {}, claims = AGENT) =>
  call({ routeKey: 'POST /customers', body, headers, claims });

const patch = (id: string, body: unknown, headers: Record<string, string> = {}, claims = AGENT) =>
  call({ routeKey: 'PATCH /customers/{id}', pathParameters: { id }, body, headers, claims });

const get = (id: string, claims = AGENT) => call({ routeKey: 'GET /customers/{id}', pathParameters: { id }, claims });

const list = (query: Record<string, string>, claims = AGENT) => call({ routeKey: 'GET /customers', query, claims });

async function created(email = 'ada@example.com') {
  const response = await post({ email });
  expect(response.statusCode).toBe(201);
  return response.json as { id: string; version: number };
}

function expectProblem(response: { statusCode: number; headers: Record<string, string>; json: any }, status: number) {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toBe('application/problem+json');
  expect(response.json).toMatchObject({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String) });
}

describe('POST /customers', () => {
  it('answers 201 with the customer, a Location and an ETag of its version', async () => {
    const response = await post({ email: 'Ada@Example.com', firstName: 'Ada', tags: ['vip'] });
    expect(response.statusCode).toBe(201);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.headers.location).toBe('/customers/c-0001');
    expect(response.headers.etag).toBe('"1"');
    expect(response.json).toEqual({
      id: 'c-0001',
      email: 'ada@example.com',
      firstName: 'Ada',
      lastName: null,
      phone: null,
      locale: null,
      timezone: null,
      attributes: {},
      tags: ['vip'],
      stats: { interactionCount: 0, lastInteractionAt: null, lastChannel: null, purchaseCount: 0, totalSpent: {}, byChannel: {} },
      mergedInto: null,
      createdAt: '2025-01-15T09:00:00.000Z',
      updatedAt: '2025-01-15T09:00:00.000Z',
      version: 1,
    });
    expect(await repo.get('c-0001')).toEqual({ ...response.json, statsRevision: 0 });
    expect(response.text).not.toContain('statsRevision');
  });

  it('answers 400 problem+json listing each invalid field with its path', async () => {
    const response = await post({ email: 'nope', phone: '123', tags: Array.from({ length: 51 }, (_, i) => `t${i}`), version: 4, shoeSize: 44 });
    expectProblem(response, 400);
    expect(response.json.errors).toEqual(
      expect.arrayContaining([
        { path: 'email', message: expect.any(String) },
        { path: 'phone', message: expect.stringContaining('E.164') },
        { path: 'tags', message: expect.stringContaining('50') },
        { path: 'version', message: 'is read-only and cannot be set' },
        { path: 'shoeSize', message: 'is not a known field' },
      ]),
    );
    expect(response.json.errors).toHaveLength(5);
    expect(repo.size).toBe(0);
  });

  it.each([
    ['malformed JSON', '{"email": '],
    ['an empty body', ''],
    ['a JSON array', '[{"email":"a@example.com"}]'],
    ['JSON null', 'null'],
  ])('answers 400 for %s', async (_, body) => {
    const response = await call({ routeKey: 'POST /customers', body, headers: { 'content-type': 'application/json' }, claims: AGENT });
    expectProblem(response, 400);
    expect(repo.size).toBe(0);
  });

  it('answers 415 for a body that is not application/json', async () => {
    const response = await post('email=ada@example.com', { 'content-type': 'application/x-www-form-urlencoded' });
    expectProblem(response, 415);
    expect(repo.size).toBe(0);
  });

  it('does not accept application/merge-patch+json for a create', async () => {
    expectProblem(await post({ email: 'ada@example.com' }, { 'content-type': 'application/merge-patch+json' }), 415);
  });

  it('accepts application/json with a charset parameter', async () => {
    expect((await post({ email: 'ada@example.com' }, { 'content-type': 'application/json; charset=utf-8' })).statusCode).toBe(201);
  });

  it('answers 409 when another customer already uses the email (compared lower-cased)', async () => {
    await created('ada@example.com');
    expectProblem(await post({ email: 'ADA@example.com' }), 409);
    expect(repo.size).toBe(1);
  });

  it('replays the first response for a retry with the same Idempotency-Key and body, creating nothing new', async () => {
    const body = { email: 'ada@example.com', firstName: 'Ada' };
    const first = await post(body, { 'idempotency-key': 'key-1' });
    const retry = await post(body, { 'idempotency-key': 'key-1' });
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.text).toBe(first.text);
    expect(retry.headers.etag).toBe(first.headers.etag);
    expect(retry.headers.location).toBe(first.headers.location);
    expect(repo.size).toBe(1);
    expect(repo.events).toHaveLength(1);
  });

  it('answers 422 when the Idempotency-Key is reused with a different body', async () => {
    await post({ email: 'ada@example.com' }, { 'idempotency-key': 'key-1' });
    const response = await post({ email: 'grace@example.com' }, { 'idempotency-key': 'key-1' });
    expectProblem(response, 422);
    expect(repo.size).toBe(1);
  });

  it('scopes Idempotency-Keys to the caller: another user with the same key creates its own customer', async () => {
    await post({ email: 'ada@example.com' }, { 'idempotency-key': 'key-1' });
    const other = await post({ email: 'grace@example.com' }, { 'idempotency-key': 'key-1' }, claimsFor(['agent'], { sub: 'someone-else' }));
    expect(other.statusCode).toBe(201);
    expect(repo.size).toBe(2);
  });

  it('answers 400 for an Idempotency-Key with characters outside visible ASCII', async () => {
    const response = await post({ email: 'ada@example.com' }, { 'idempotency-key': 'has space' });
    expectProblem(response, 400);
    expect(response.json.errors).toEqual([{ path: 'header.idempotency-key', message: expect.any(String) }]);
  });
});

describe('GET /customers/{id}', () => {
  it('answers 200 with the customer and its ETag', async () => {
    const { id } = await created();
    const response = await get(id);
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toBe('"1"');
    expect(response.json).toMatchObject({ id, email: 'ada@example.com' });
  });

  it('answers 404 problem+json for an unknown id', async () => {
    expectProblem(await get('c-9999'), 404);
  });

  it('answers 404 (not 400 or 500) for an id that cannot exist', async () => {
    expectProblem(await get('../../etc/passwd'), 404);
  });
});

describe('PATCH /customers/{id}', () => {
  it('accepts application/merge-patch+json and answers 200 with the new version and ETag', async () => {
    const { id } = await created();
    const response = await patch(id, { firstName: 'Ada', attributes: { plan: 'gold' } }, { 'content-type': 'application/merge-patch+json', 'if-match': '"1"' });
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toBe('"2"');
    expect(response.json).toMatchObject({ id, firstName: 'Ada', attributes: { plan: 'gold' }, version: 2 });
  });

  it('accepts a weak ETag in If-Match', async () => {
    const { id } = await created();
    expect((await patch(id, { firstName: 'Ada' }, { 'if-match': 'W/"1"' })).statusCode).toBe(200);
  });

  it('answers 412 when If-Match names a stale version and leaves the customer unchanged', async () => {
    const { id } = await created();
    await patch(id, { firstName: 'Ada' });
    const response = await patch(id, { lastName: 'Lovelace' }, { 'if-match': '"1"' });
    expectProblem(response, 412);
    expect(await repo.get(id)).toMatchObject({ lastName: null, version: 2 });
  });

  it.each(['1', '"abc"', '"1", "2"', 'W/1'])('answers 400 for a malformed If-Match %j', async (ifMatch) => {
    const { id } = await created();
    const response = await patch(id, { firstName: 'Ada' }, { 'if-match': ifMatch });
    expectProblem(response, 400);
    expect(response.json.errors).toEqual([{ path: 'header.if-match', message: expect.any(String) }]);
    expect(await repo.get(id)).toMatchObject({ version: 1 });
  });

  it('answers 400 naming read-only fields in the patch', async () => {
    const { id } = await created();
    const response = await patch(id, { id: 'other', createdAt: '2020-01-01T00:00:00Z' });
    expectProblem(response, 400);
    expect(response.json.errors).toEqual(
      expect.arrayContaining([
        { path: 'id', message: 'is read-only and cannot be set' },
        { path: 'createdAt', message: 'is read-only and cannot be set' },
      ]),
    );
  });

  it('answers 409 when the new email belongs to another customer', async () => {
    await created('ada@example.com');
    const { id } = await created('grace@example.com');
    expectProblem(await patch(id, { email: 'ada@example.com' }), 409);
  });

  it('answers 404 for an unknown id', async () => {
    expectProblem(await patch('c-9999', { firstName: 'X' }), 404);
  });

  it('answers 415 for a text/plain body', async () => {
    const { id } = await created();
    expectProblem(await patch(id, '{"firstName":"Ada"}', { 'content-type': 'text/plain' }), 415);
  });
});

describe('DELETE /customers/{id} (erasure)', () => {
  const remove = (id: string, headers: Record<string, string> = {}, claims = MANAGER) =>
    call({ routeKey: 'DELETE /customers/{id}', pathParameters: { id }, headers, claims });

  it('answers 204 without a body; the customer, its identities and timeline are gone', async () => {
    const { id } = await created();
    await call({ routeKey: 'POST /customers/{id}/interactions', pathParameters: { id }, body: { channel: 'web', type: 'click' }, claims: AGENT });
    const response = await remove(id, { 'if-match': '"1"' });
    expect(response.statusCode).toBe(204);
    expect(response.text).toBe('');
    expectProblem(await get(id), 404);
    expect(repo.interactions).toEqual([]);
    expect((await list({ email: 'ada@example.com' })).json.items).toEqual([]);
  });

  it('answers 412 for a stale If-Match', async () => {
    const { id } = await created();
    await patch(id, { firstName: 'Ada' });
    expectProblem(await remove(id, { 'if-match': '"1"' }), 412);
    expect(await repo.get(id)).toBeDefined();
  });

  it('answers 404 for an unknown id', async () => {
    expectProblem(await remove('c-9999', { 'if-match': '"1"' }), 404);
  });

  it('is for admins and managers only: an agent (or marketer) gets 403 and nothing is erased', async () => {
    const { id } = await created();
    expectProblem(await remove(id, { 'if-match': '"1"' }, AGENT), 403);
    expectProblem(await remove(id, { 'if-match': '"1"' }, MARKETER), 403);
    expect(await repo.get(id)).toBeDefined();
    expect((await remove(id, { 'if-match': '"1"' }, claimsFor(['admin']))).statusCode).toBe(204);
  });

  it.each([[{}], [{ 'if-match': '*' }]])('answers 428 naming If-Match when it does not name a version (%j); nothing is erased', async (headers) => {
    const { id } = await created();
    const response = await remove(id, headers);
    expectProblem(response, 428);
    expect(response.json.errors).toEqual([{ path: 'header.if-match', message: 'is required' }]);
    expect(await repo.get(id)).toBeDefined();
  });
});

describe('GET /customers', () => {
  it('pages newest first with nextCursor, then null', async () => {
    const clock = fakeClock('2025-01-15T09:00:00.000Z');
    handler = customersHandler({ customers: repo, clock, ids: sequentialIds('c'), erasureRequests: fakeErasureRequests() });
    for (const email of ['a@x.example', 'b@x.example', 'c@x.example']) {
      await created(email);
      clock.advance(1000);
    }
    const first = await list({ limit: '2' });
    expect(first.statusCode).toBe(200);
    expect(first.json.items.map((c: { email: string }) => c.email)).toEqual(['c@x.example', 'b@x.example']);
    const second = await list({ limit: '2', cursor: first.json.nextCursor });
    expect(second.json).toEqual({ items: [expect.objectContaining({ email: 'a@x.example' })], nextCursor: null });
  });

  it('looks a customer up by email, case-insensitively', async () => {
    await created('ada@example.com');
    const response = await list({ email: 'ADA@example.com' });
    expect(response.json.items).toEqual([expect.objectContaining({ email: 'ada@example.com' })]);
  });

  it.each([['0'], ['101'], ['abc'], ['-1'], ['2.5']])('answers 400 naming limit for limit=%s', async (limit) => {
    const response = await list({ limit });
    expectProblem(response, 400);
    expect(response.json.errors).toEqual([{ path: 'limit', message: expect.any(String) }]);
  });

  it.each([['garbage!'], ['eyJub3QiOiJhIGN1cnNvciJ9'], [Buffer.from(JSON.stringify({ q: 'tag:vip', k: { after: 'x' } })).toString('base64url')]])(
    'answers 400 naming cursor for a cursor it did not issue (%s)',
    async (cursor) => {
      const response = await list({ cursor });
      expectProblem(response, 400);
      expect(response.json.errors).toEqual([{ path: 'cursor', message: expect.any(String) }]);
    },
  );

  it('answers 400 for an unknown query parameter', async () => {
    const response = await list({ sort: 'name' });
    expectProblem(response, 400);
    expect(response.json.errors).toEqual([{ path: 'sort', message: 'is not a known field' }]);
  });
});

describe('identities, interactions, merge and export', () => {
  const linkIdentity = (id: string, body: unknown) => call({ routeKey: 'POST /customers/{id}/identities', pathParameters: { id }, body, claims: AGENT });

  it('links an identity with 201, answers 200 when it is already linked, 409 when another customer owns it', async () => {
    const { id } = await created('ada@example.com');
    const { id: other } = await created('grace@example.com');
    const first = await linkIdentity(id, { type: 'externalId', value: 'shop-42' });
    expect(first.statusCode).toBe(201);
    expect(first.json).toEqual({ type: 'externalId', value: 'shop-42', customerId: id, linkedAt: expect.any(String) });
    expect((await linkIdentity(id, { type: 'externalId', value: 'shop-42' })).statusCode).toBe(200);
    expectProblem(await linkIdentity(other, { type: 'externalId', value: 'shop-42' }), 409);
    const listed = await call({ routeKey: 'GET /customers/{id}/identities', pathParameters: { id }, claims: MARKETER });
    expect(listed.json.items.map((i: { type: string }) => i.type).sort()).toEqual(['email', 'externalId']);
  });

  it('answers 400 naming the value for an identity of the wrong shape', async () => {
    const { id } = await created();
    const response = await linkIdentity(id, { type: 'phone', value: '0151 123' });
    expectProblem(response, 400);
    expect(response.json.errors).toEqual([{ path: 'value', message: expect.any(String) }]);
  });

  it('records an interaction (201) and shows it on the timeline; a bad channel filter is a 400', async () => {
    const { id } = await created();
    const recorded = await call({ routeKey: 'POST /customers/{id}/interactions', pathParameters: { id }, body: { channel: 'email', type: 'open' }, claims: AGENT });
    expect(recorded.statusCode).toBe(201);
    const timeline = await call({ routeKey: 'GET /customers/{id}/timeline', pathParameters: { id }, query: { channel: 'email' }, claims: MARKETER });
    expect(timeline.json).toEqual({ items: [recorded.json], nextCursor: null });
    const bad = await call({ routeKey: 'GET /customers/{id}/timeline', pathParameters: { id }, query: { channel: 'pigeon' }, claims: AGENT });
    expectProblem(bad, 400);
    expect(bad.json.errors).toEqual([{ path: 'channel', message: expect.any(String) }]);
  });

  it.each([
    ['admin', ['case', 'case_comment', 'consent', 'email', 'interaction']],
    ['manager', ['case', 'case_comment', 'consent', 'email', 'interaction']],
    ['agent', ['case', 'case_comment', 'consent', 'email', 'interaction']],
    ['marketer', ['consent', 'email', 'interaction']],
  ] as const)('shows the %s the timeline entries its role may read on their own routes', async (role, kinds) => {
    const { id } = await created();
    const entry = (kind: string, n: number) => ({
      kind, id: `tl-${n}`, customerId: id, anonymousId: null, channel: 'email', type: kind, direction: null,
      occurredAt: `2025-01-15T08:0${n}:00.000Z`, recordedAt: '2025-01-15T09:00:00.000Z', summary: `${kind} entry`, data: {}, value: null,
    }) as Parameters<typeof repo.saveInteractions>[0][number];
    await repo.saveInteractions(['interaction', 'case', 'case_comment', 'consent', 'email'].map(entry), [], [], { correlationId: 'test' });
    const response = await call({ routeKey: 'GET /customers/{id}/timeline', pathParameters: { id }, query: { limit: '100' }, claims: claimsFor([role]) });
    expect(response.statusCode).toBe(200);
    expect(response.json.items.map((i: { kind: string }) => i.kind).sort()).toEqual([...kinds]);
  });

  it('answers the batch with 200 and a result per item', async () => {
    const { id } = await created();
    const response = await call({
      routeKey: 'POST /interactions',
      body: { items: [{ customerId: id, channel: 'web', type: 'click' }, { channel: 'web', type: 'click' }] },
      claims: AGENT,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json.items.map((i: { status: string }) => i.status)).toEqual(['created', 'error']);
  });

  it('answers 400 for an empty batch or one over 25 items', async () => {
    const item = { anonymousId: 'a-1', channel: 'web', type: 'click' };
    expectProblem(await call({ routeKey: 'POST /interactions', body: { items: [] }, claims: AGENT }), 400);
    expectProblem(await call({ routeKey: 'POST /interactions', body: { items: Array(26).fill(item) }, claims: AGENT }), 400);
  });

  it('merges (200 with the new ETag); afterwards the source reads as a pointer and refuses writes with 409', async () => {
    const { id: target } = await created('ada@example.com');
    const { id: source } = await created('ada.l@example.com');
    const merged = await call({ routeKey: 'POST /customers/{id}/merge', pathParameters: { id: target }, body: { sourceId: source }, claims: AGENT });
    expect(merged.statusCode).toBe(200);
    expect(merged.headers.etag).toBe('"2"');
    const pointer = await get(source);
    expect(pointer.statusCode).toBe(200);
    expect(pointer.json).toEqual({ id: source, mergedInto: target, createdAt: expect.any(String), updatedAt: expect.any(String), version: 2 });
    expectProblem(await patch(source, { firstName: 'X' }), 409);
    expectProblem(await call({ routeKey: 'POST /customers/{id}/merge', pathParameters: { id: target }, body: { sourceId: target }, claims: AGENT }), 400);
  });

  it('exports everything to admin and manager only, as an attachment', async () => {
    const { id } = await created();
    const exportAs = (claims: ReturnType<typeof claimsFor>) => call({ routeKey: 'GET /customers/{id}/export', pathParameters: { id }, claims });
    const response = await exportAs(claimsFor(['manager']));
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-disposition']).toBe(`attachment; filename="customer-${id}.json"`);
    expect(response.json).toMatchObject({ customer: { id, email: 'ada@example.com' }, identities: [expect.objectContaining({ type: 'email' })], interactions: [] });
    expect(response.text).not.toContain('statsRevision');
    expectProblem(await exportAs(AGENT), 403);
    expectProblem(await exportAs(MARKETER), 403);
  });
});

describe('authorization', () => {
  it.each([
    ['flattened "[admin manager]"', claimsFor(['admin', 'manager'])],
    ['a JSON array string', claimsFor(['agent'], { groups: 'json' })],
  ])('accepts cognito:groups given as %s', async (_, claims) => {
    expect((await post({ email: 'ada@example.com' }, {}, claims)).statusCode).toBe(201);
  });

  it('lets a marketer read but answers 403 to its POST, PATCH and DELETE', async () => {
    const { id } = await created();
    expect((await get(id, MARKETER)).statusCode).toBe(200);
    expect((await list({}, MARKETER)).statusCode).toBe(200);
    expectProblem(await post({ email: 'grace@example.com' }, {}, MARKETER), 403);
    expectProblem(await patch(id, { firstName: 'Ada' }, {}, MARKETER), 403);
    expectProblem(await call({ routeKey: 'DELETE /customers/{id}', pathParameters: { id }, claims: MARKETER }), 403);
    expect(repo.size).toBe(1);
    expect(await repo.get(id)).toMatchObject({ firstName: null, version: 1 });
  });

  it('answers 403 to a customer (self-service) token on staff routes', async () => {
    const customer = claimsFor(['customer'], { customerId: 'c-0001' });
    const { id } = await created();
    expectProblem(await get(id, customer), 403);
    expectProblem(await list({}, customer), 403);
    expectProblem(await post({ email: 'grace@example.com' }, {}, customer), 403);
  });

  it('answers 403 when the groups claim names no known role', async () => {
    expectProblem(await list({}, claimsFor(['superuser'])), 403);
  });

  it('answers 401 without claims, before looking at the body', async () => {
    const response = await call({ routeKey: 'POST /customers', body: 'not json', headers: { 'content-type': 'text/plain' } });
    expectProblem(response, 401);
    expectProblem(await call({ routeKey: 'GET /customers' }), 401);
  });

  it('answers 401 when the claims carry no sub', async () => {
    expectProblem(await list({}, { 'cognito:groups': '[admin]' }), 401);
  });
});

describe('unexpected failures', () => {
  it('answers 500 problem+json that reveals nothing of the error', async () => {
    repo.failNext('get', new Error('connection to db-7.internal refused for ada@example.com'));
    const response = await get('c-0001');
    expectProblem(response, 500);
    expect(response.text).not.toContain('db-7.internal');
    expect(response.text).not.toContain('ada@example.com');
    expect(JSON.stringify(errorLog.mock.calls)).not.toContain('ada@example.com');
    expect(errorLog).toHaveBeenCalledTimes(1);
  });

  it('answers 404 for a route key the function does not serve', async () => {
    expectProblem(await call({ routeKey: 'GET /cases', claims: AGENT }), 404);
  });
});
