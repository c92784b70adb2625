import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { casesHandler } from '../../functions/cases/cases.app.ts';
import { openApiDocument } from '../../functions/docs/openapi.ts';
import { ROUTES, routeKey } from '../../infra/topology.ts';
import { type ApiRequest, type ApiResponse, claimsFor, invoke } from '../support/api-gateway.ts';
import { T0 } from '../support/case-builders.ts';
import { type FakeCaseRepository, fakeCaseRepository, fakePublishedArticles } from '../support/case-fakes.ts';
import { fakeClock, sequentialIds } from '../support/fakes.ts';

const AGENT = claimsFor(['agent']);
const MANAGER = claimsFor(['manager']);
const ADMIN = claimsFor(['admin']);
const MARKETER = claimsFor(['marketer']);

let repo: FakeCaseRepository;
let handler: ReturnType<typeof casesHandler>;
let errorLog: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  const clock = fakeClock(T0);
  repo = fakeCaseRepository({ clock, customers: ['cust-1'] });
  handler = casesHandler({ cases: repo, clock, ids: sequentialIds('case'), articles: fakePublishedArticles() });
  errorLog = vi.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterEach(() => {
  // No request of these tests may end in an unhandled 500.
  expect(errorLog).not.toHaveBeenCalled();
  errorLog.mockRestore();
});

const call = (request: ApiRequest) => invoke(handler, request);
const NEW_CASE = { customerId: 'cust-1', subject: 'Parcel missing', channel: 'email', queue: 'support' };

const post = (body: unknown, claims = AGENT) => call({ routeKey: 'POST /cases', body, claims });
const get = (id: string, claims = AGENT) => call({ routeKey: 'GET /cases/{id}', pathParameters: { id }, claims });
const patch = (id: string, body: unknown, headers: Record<string, string> = {}) =>
  call({ routeKey: 'PATCH /cases/{id}', pathParameters: { id }, body, headers, claims: AGENT });

async function created(): Promise<{ id: string; version: number; number: string }> {
  const response = await post(NEW_CASE);
  expect(response.statusCode).toBe(201);
  return response.json;
}

/** The problem type names the cause; without one named, the cause every such status has. */
const CAUSE_BY_STATUS: Record<number, string> = { 400: 'validation', 401: 'unauthorized', 403: 'forbidden', 404: 'not-found' };

function expectProblem(response: ApiResponse, status: number, cause = CAUSE_BY_STATUS[status]) {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toBe('application/problem+json');
  expect(response.json).toMatchObject({ type: `urn:ecrm:problem:${cause}`, title: expect.any(String), status, detail: expect.any(String) });
}

describe('POST /cases', () => {
  it('answers 201 with the case, a Location and an ETag of its version', async () => {
    const response = await post({ ...NEW_CASE, priority: 'high', tags: ['vip', 'vip'] });
    expect(response.statusCode).toBe(201);
    expect(response.headers.location).toBe('/cases/case-0001');
    expect(response.headers.etag).toBe('"1"');
    expect(response.json).toMatchObject({
      id: 'case-0001',
      number: 'CASE-1001',
      status: 'open',
      priority: 'high',
      queue: 'support',
      tags: ['vip'],
      createdAt: T0,
      version: 1,
      sla: { policyVersion: 0, breaches: [] },
    });
    expect(await repo.get('case-0001')).toEqual(response.json);
  });

  it('answers 400 problem+json naming each invalid field', async () => {
    const response = await post({ customerId: '', subject: '   ', channel: 'fax', priority: 'asap', shoeSize: 44 });
    expectProblem(response, 400);
    expect(response.json.errors).toEqual(
      expect.arrayContaining([
        { path: 'customerId', message: expect.any(String) },
        { path: 'subject', message: 'must not be empty' },
        { path: 'channel', message: expect.any(String) },
        { path: 'priority', message: expect.any(String) },
        { path: 'shoeSize', message: 'is not a known field' },
      ]),
    );
    expect(response.json.errors).toHaveLength(5);
    expect(repo.commits).toEqual([]);
  });

  it.each([
    ['malformed JSON', '{"subject": '],
    ['an empty body', ''],
    ['a JSON array', '[]'],
  ])('answers 400 for %s', async (_, body) => {
    expectProblem(await call({ routeKey: 'POST /cases', body, headers: { 'content-type': 'application/json' }, claims: AGENT }), 400);
  });

  it('answers 422 for an unknown customer', async () => {
    const response = await post({ ...NEW_CASE, customerId: 'nobody' });
    expectProblem(response, 422, 'unknown-customer');
    expect(response.json.detail).toContain('nobody');
    expect(repo.commits).toEqual([]);
  });
});

describe('reading and changing a case', () => {
  it('GET answers 200 with an ETag; an unknown or malformed id is 404', async () => {
    const c = await created();
    const response = await get(c.id);
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toBe('"1"');
    expect(response.json.id).toBe(c.id);
    expectProblem(await get('missing'), 404);
    expectProblem(await get('../etc'), 404);
    expectProblem(await patch('missing', { subject: 'x' }), 404);
    expectProblem(await call({ routeKey: 'POST /cases/{id}/comments', pathParameters: { id: 'missing' }, body: { body: 'x', visibility: 'public' }, claims: AGENT }), 404);
  });

  it('PATCH answers 200 with the new ETag', async () => {
    const c = await created();
    const response = await patch(c.id, { subject: 'Renamed', status: 'pending' }, { 'if-match': '"1"' });
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toBe('"2"');
    expect(response.json).toMatchObject({ subject: 'Renamed', status: 'pending', version: 2 });
  });

  it('PATCH answers 409 for a disallowed status move', async () => {
    const c = await created();
    const response = await patch(c.id, { status: 'closed' });
    expectProblem(response, 409, 'status-move');
    expect(response.json.detail).toBe('A case cannot move from open to closed.');
  });

  it('PATCH answers 412 for a stale If-Match and 400 for a malformed one', async () => {
    const c = await created();
    await patch(c.id, { subject: 'First' });
    expectProblem(await patch(c.id, { subject: 'Second' }, { 'if-match': '"1"' }), 412, 'stale-version');
    expectProblem(await patch(c.id, { subject: 'Second' }, { 'if-match': 'version-1' }), 400);
    expect((await get(c.id)).json).toMatchObject({ subject: 'First', version: 2 });
  });

  it('PATCH answers 400 for read-only and unknown fields, naming them', async () => {
    const c = await created();
    const response = await patch(c.id, { sla: {}, version: 9, colour: 'red' });
    expectProblem(response, 400);
    expect(response.json.errors).toEqual([
      { path: 'sla', message: 'is read-only and cannot be set' },
      { path: 'version', message: 'is read-only and cannot be set' },
      { path: 'colour', message: 'is not a known field' },
    ]);
  });

  it('POST comments answers 201 and 400 for a bad visibility', async () => {
    const c = await created();
    const ok = await call({ routeKey: 'POST /cases/{id}/comments', pathParameters: { id: c.id }, body: { body: 'On it', visibility: 'public' }, claims: AGENT });
    expect(ok.statusCode).toBe(201);
    expect(ok.json).toMatchObject({ caseId: c.id, body: 'On it', authorId: AGENT.sub, authorType: 'staff' });
    const bad = await call({ routeKey: 'POST /cases/{id}/comments', pathParameters: { id: c.id }, body: { body: 'x', visibility: 'secret' }, claims: AGENT });
    expectProblem(bad, 400);
    expect(bad.json.errors).toEqual([{ path: 'visibility', message: expect.any(String) }]);
  });

  it('POST comments without visibility stores an internal comment, which is no first response', async () => {
    const c = await created();
    const response = await call({ routeKey: 'POST /cases/{id}/comments', pathParameters: { id: c.id }, body: { body: 'Checking the warehouse' }, claims: AGENT });
    expect(response.statusCode).toBe(201);
    expect(response.json).toMatchObject({ body: 'Checking the warehouse', visibility: 'internal' });
    expect((await get(c.id)).json.firstRespondedAt).toBeNull();
    const schema = (openApiDocument() as any).components.schemas.CommentInput;
    expect(schema.required).toEqual(['body']);
    expect(schema.properties.visibility.default).toBe('internal');
  });

  it('POST assign {auto: true} answers 422 for a queue without members', async () => {
    const c = await created();
    expectProblem(await call({ routeKey: 'POST /cases/{id}/assign', pathParameters: { id: c.id }, body: { auto: true }, claims: AGENT }), 422, 'queue-empty');
  });
});

describe('listing and reports', () => {
  it('GET /cases with queue and assigneeId together answers 400', async () => {
    const response = await call({ routeKey: 'GET /cases', query: { queue: 'a', assigneeId: 'b' }, claims: AGENT });
    expectProblem(response, 400);
    expect(response.json.errors).toEqual([{ path: 'queue', message: 'combine status with at most one of queue, assigneeId, priority, customerId' }]);
  });

  it('GET /cases answers 400 for an unknown status or limit out of range, 200 for a valid filter', async () => {
    expectProblem(await call({ routeKey: 'GET /cases', query: { status: 'nope' }, claims: AGENT }), 400);
    expectProblem(await call({ routeKey: 'GET /cases', query: { limit: '0' }, claims: AGENT }), 400);
    const c = await created();
    const listed = await call({ routeKey: 'GET /cases', query: { queue: 'support', status: 'open' }, claims: AGENT });
    expect(listed.statusCode).toBe(200);
    expect(listed.json).toEqual({ items: [expect.objectContaining({ id: c.id })], nextCursor: null });
  });

  it('GET /reports/sla with from after to answers 400 naming from', async () => {
    const response = await call({ routeKey: 'GET /reports/sla', query: { from: '2025-02-01', to: '2025-01-01' }, claims: MANAGER });
    expectProblem(response, 400);
    expect(response.json.errors).toEqual([{ path: 'from', message: 'from must not be after to' }]);
  });

  it('GET /reports/sla answers a manager with the report of the counters', async () => {
    await created();
    const response = await call({ routeKey: 'GET /reports/sla', query: { from: '2025-01-15', to: '2025-01-15' }, claims: MANAGER });
    expect(response.statusCode).toBe(200);
    expect(response.json).toEqual({
      opened: 1,
      solved: 0,
      firstResponseMetPercent: null,
      resolutionMetPercent: null,
      medianFirstResponseMinutes: null,
      medianResolutionMinutes: null,
      breachedOpen: 0,
      breaches: 0,
      days: [{ day: '2025-01-15', opened: 1, solved: 0, firstResponseMetPercent: null, resolutionMetPercent: null, breaches: 0 }],
    });
  });

  it('GET /reports/sla without dates answers 200 with the last 30 days; the docs name the defaults', async () => {
    await created();
    const response = await call({ routeKey: 'GET /reports/sla', claims: MANAGER });
    expect(response.statusCode).toBe(200);
    expect(response.json).toMatchObject({ opened: 1, breachedOpen: 0 });
    const operation = (openApiDocument() as any).paths['/reports/sla'].get;
    expect(operation.summary).toContain('without dates the last 30 days');
    const dates = operation.parameters.filter((p: { name: string }) => p.name === 'from' || p.name === 'to');
    expect(dates).toEqual([
      expect.objectContaining({ name: 'from', required: false, schema: expect.objectContaining({ format: 'date', description: expect.stringContaining('30 days') }) }),
      expect.objectContaining({ name: 'to', required: false, schema: expect.objectContaining({ format: 'date', description: expect.stringContaining('today') }) }),
    ]);
  });

  it('GET /reports/sla answers 400 for a date that is no day, naming it', async () => {
    const response = await call({ routeKey: 'GET /reports/sla', query: { from: '2025-13-01' }, claims: MANAGER });
    expectProblem(response, 400);
    expect(response.json.errors).toEqual([{ path: 'from', message: expect.any(String) }]);
  });
});

describe('configuration', () => {
  it('PUT /queues/{name} refuses escalateTo itself with 400 and an invalid name with 404', async () => {
    const self = await call({ routeKey: 'PUT /queues/{name}', pathParameters: { name: 'support' }, body: { escalateTo: 'support' }, claims: ADMIN });
    expectProblem(self, 400);
    expect(self.json.errors).toEqual([{ path: 'escalateTo', message: 'must name another queue' }]);
    expectProblem(await call({ routeKey: 'PUT /queues/{name}', pathParameters: { name: 'Support Desk' }, body: {}, claims: ADMIN }), 404);
    const ok = await call({ routeKey: 'PUT /queues/{name}', pathParameters: { name: 'support' }, body: { members: ['ann'], escalateTo: 'tier2' }, claims: ADMIN });
    expect(ok.statusCode).toBe(200);
    expect(await repo.queue('support')).toMatchObject({ members: ['ann'], managers: [], escalateTo: 'tier2' });
  });

  it('PUT /sla-policy saves a new version for an admin and answers 400 for invalid hours', async () => {
    const policy = {
      timezone: 'Europe/Berlin',
      businessHours: { mon: [['09:00', '17:00']], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
      targets: {
        urgent: { firstResponseMinutes: 10, resolutionMinutes: 60, calendar: '24x7' },
        high: { firstResponseMinutes: 20, resolutionMinutes: 120, calendar: '24x7' },
        normal: { firstResponseMinutes: 30, resolutionMinutes: 240, calendar: 'business' },
        low: { firstResponseMinutes: 60, resolutionMinutes: 480, calendar: 'business' },
      },
    };
    const saved = await call({ routeKey: 'PUT /sla-policy', body: policy, claims: ADMIN });
    expect(saved.statusCode).toBe(200);
    expect(saved.json).toMatchObject({ version: 1, timezone: 'Europe/Berlin', warnAtPercent: 75, holidays: [] });
    const bad = await call({ routeKey: 'PUT /sla-policy', body: { ...policy, businessHours: { ...policy.businessHours, mon: [['17:00', '09:00']] } }, claims: ADMIN });
    expectProblem(bad, 400);
    expect((await repo.policy()).version).toBe(1);
  });

  it('PUT /sla-policy with If-Match saves over the version read and answers 412 over a newer one, saving nothing', async () => {
    const read = await call({ routeKey: 'GET /sla-policy', claims: MANAGER });
    expect(read.headers.etag).toBe(`"${read.json.version}"`);
    const { version: _v, createdAt: _c, ...policy } = read.json;
    const saved = await call({ routeKey: 'PUT /sla-policy', body: { ...policy, warnAtPercent: 80 }, headers: { 'if-match': read.headers.etag! }, claims: ADMIN });
    expect(saved.statusCode).toBe(200);
    expect(saved.headers.etag).toBe(`"${read.json.version + 1}"`);
    const stale = await call({ routeKey: 'PUT /sla-policy', body: { ...policy, warnAtPercent: 90 }, headers: { 'if-match': read.headers.etag! }, claims: ADMIN });
    expectProblem(stale, 412, 'stale-version');
    expect(await repo.policy()).toMatchObject({ version: read.json.version + 1, warnAtPercent: 80 });
  });
});

describe('roles', () => {
  // The staff routes; the customer's own (/me/cases) have tests of their own.
  const caseRoutes = ROUTES.filter((r) => r.function === 'cases' && !r.path.startsWith('/me')).map(routeKey);
  const requestFor = (key: string, claims: ReturnType<typeof claimsFor> | undefined): ApiRequest => ({
    routeKey: key,
    pathParameters: { id: 'case-0001', name: 'support' },
    query: { from: '2025-01-15', to: '2025-01-15' },
    body: {},
    ...(claims ? { claims } : {}),
  });

  it('routes all twelve staff cases endpoints to this function', () => {
    expect(caseRoutes).toHaveLength(12);
  });

  it.each(caseRoutes)('a marketer gets 403 on %s, without a token 401', async (key) => {
    expectProblem(await call(requestFor(key, MARKETER)), 403);
    expectProblem(await call(requestFor(key, undefined)), 401);
  });

  it.each(['PUT /queues/{name}', 'PUT /sla-policy'])('an agent and a manager get 403 on %s', async (key) => {
    expectProblem(await call(requestFor(key, AGENT)), 403);
    expectProblem(await call(requestFor(key, MANAGER)), 403);
    expect(repo.commits).toEqual([]);
    expect(await repo.queue('support')).toBeUndefined();
    expect((await repo.policy()).version).toBe(0);
  });

  it('a manager and an admin may read the SLA report, an agent may not', async () => {
    expect((await call(requestFor('GET /reports/sla', MANAGER))).statusCode).toBe(200);
    expect((await call(requestFor('GET /reports/sla', ADMIN))).statusCode).toBe(200);
    expectProblem(await call(requestFor('GET /reports/sla', AGENT)), 403);
  });

  it('agents and managers read cases and the SLA policy', async () => {
    const c = await created();
    expect((await get(c.id, AGENT)).statusCode).toBe(200);
    expect((await get(c.id, MANAGER)).statusCode).toBe(200);
    expect((await call({ routeKey: 'GET /sla-policy', claims: AGENT })).statusCode).toBe(200);
  });
});
