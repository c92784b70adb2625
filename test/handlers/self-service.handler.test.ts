import { fakeErasureRequests } from '../support/erasure-fakes.ts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { casesHandler } from '../../functions/cases/cases.app.ts';
import { customersHandler } from '../../functions/customers/customers.app.ts';
import { type ApiRequest, claimsFor, invoke } from '../support/api-gateway.ts';
import { T0 } from '../support/case-builders.ts';
import { type FakeCaseRepository, fakeCaseRepository, fakePublishedArticles } from '../support/case-fakes.ts';
import { type FakeCustomerRepository, fakeClock, fakeCustomerRepository, sequentialIds } from '../support/fakes.ts';
import { CustomerBeingErasedError } from '../../domain/shared/errors.ts';

// The self-service views through the real handlers and fakes: exactly the fields a customer may
// read (no staff field leaks), the customer id from the token only, and the events writes cause.

const ME_KEYS = ['createdAt', 'email', 'firstName', 'id', 'lastName', 'locale', 'phone', 'timezone', 'updatedAt', 'version'];
const MY_CASE_KEYS = ['channel', 'closedAt', 'createdAt', 'description', 'id', 'number', 'solvedAt', 'status', 'subject', 'updatedAt'];
const MY_COMMENT_KEYS = ['authorType', 'body', 'caseId', 'createdAt', 'id'];

const AGENT = claimsFor(['agent'], { sub: 'agent-ann' });
const customerClaims = (customerId?: string) => claimsFor(['customer'], { sub: `sub-${customerId ?? 'none'}`, ...(customerId ? { customerId } : {}) });

let errorLog: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  errorLog = vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => {
  // No request here may end in an unhandled 500.
  expect(errorLog).not.toHaveBeenCalled();
  errorLog.mockRestore();
});

describe('customers function: /me', () => {
  let repo: FakeCustomerRepository;
  let call: (request: ApiRequest) => ReturnType<typeof invoke>;
  let id: string;

  beforeEach(async () => {
    const clock = fakeClock('2025-01-15T09:00:00.000Z');
    repo = fakeCustomerRepository({ clock });
    const handler = customersHandler({ customers: repo, clock, ids: sequentialIds('c'), erasureRequests: fakeErasureRequests() });
    call = (request) => invoke(handler, request);
    const created = await call({
      routeKey: 'POST /customers',
      body: { email: 'ada@example.com', firstName: 'Ada', tags: ['vip'], attributes: { tier: 'gold' } },
      claims: AGENT,
    });
    id = created.json.id;
  });

  it('GET /me answers exactly the Me fields of the token customer, with an ETag', async () => {
    const res = await call({ routeKey: 'GET /me', claims: customerClaims(id) });
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json).sort()).toEqual(ME_KEYS);
    expect(res.json).toMatchObject({ id, email: 'ada@example.com', firstName: 'Ada', version: 1 });
    expect(res.headers.etag).toBe('"1"');
  });

  it('PATCH /me goes through the customers patch: CustomerUpdated, and only the Me view back', async () => {
    const res = await call({ routeKey: 'PATCH /me', body: { lastName: 'Lovelace' }, headers: { 'content-type': 'application/merge-patch+json' }, claims: customerClaims(id) });
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json).sort()).toEqual(ME_KEYS);
    expect(res.json).toMatchObject({ lastName: 'Lovelace', version: 2 });
    expect(repo.events.map((e) => e.definition.detailType)).toContain('CustomerUpdated');
    expect(await repo.get(id)).toMatchObject({ lastName: 'Lovelace', tags: ['vip'], attributes: { tier: 'gold' } });
  });

  it('PATCH /me refuses a staff field with a 400 naming it, and writes nothing', async () => {
    const before = repo.commits.length;
    const res = await call({ routeKey: 'PATCH /me', body: { email: 'new@example.com', tags: [] }, claims: customerClaims(id) });
    expect(res.statusCode).toBe(400);
    expect(res.json.errors).toEqual([
      { path: 'email', message: 'is read-only and cannot be set' },
      { path: 'tags', message: 'is read-only and cannot be set' },
    ]);
    expect(repo.commits.length).toBe(before);
  });

  it('a customer token without custom:customerId is 403 on every /me route of the function; a staff token is 403 too', async () => {
    for (const routeKey of ['GET /me', 'PATCH /me', 'GET /me/timeline', 'GET /me/export']) {
      const body = routeKey === 'PATCH /me' ? { firstName: 'X' } : undefined;
      expect((await call({ routeKey, body, claims: customerClaims() })).statusCode, routeKey).toBe(403);
      expect((await call({ routeKey, body, claims: AGENT })).statusCode, routeKey).toBe(403);
    }
  });

  it('PATCH /me of a customer being erased is a 409 being-erased (the erasure guard of the write refuses it)', async () => {
    repo.failNext('update', new CustomerBeingErasedError(id));
    const res = await call({ routeKey: 'PATCH /me', body: { firstName: 'Eve' }, claims: customerClaims(id) });
    expect(res.statusCode).toBe(409);
    expect(res.json.type).toBe('urn:ecrm:problem:being-erased');
  });

  it('an unknown customer is a 404 on every /me route that reads or writes the profile', async () => {
    for (const routeKey of ['GET /me', 'PATCH /me', 'GET /me/timeline', 'GET /me/export']) {
      const res = await call({ routeKey, ...(routeKey === 'PATCH /me' ? { body: { firstName: 'X' } } : {}), claims: customerClaims('ghost') });
      expect(res.statusCode, routeKey).toBe(404);
      expect(res.json.detail).toBe('Your profile does not exist: it was never created, or it was erased.');
    }
  });
});

describe('cases function: /me/cases', () => {
  let repo: FakeCaseRepository;
  let call: (request: ApiRequest) => ReturnType<typeof invoke>;

  beforeEach(() => {
    const clock = fakeClock(T0);
    repo = fakeCaseRepository({ clock, customers: ['cust-a', 'cust-b'] });
    const handler = casesHandler({ cases: repo, clock, ids: sequentialIds('case'), articles: fakePublishedArticles() });
    call = (request) => invoke(handler, request);
  });

  const openAs = async (customerId: string, subject = 'Kettle broken') => {
    const res = await call({ routeKey: 'POST /me/cases', body: { subject }, claims: customerClaims(customerId) });
    expect(res.statusCode).toBe(201);
    return res.json as { id: string };
  };
  const staffComment = (caseId: string, body: string, visibility: 'public' | 'internal') =>
    call({ routeKey: 'POST /cases/{id}/comments', pathParameters: { id: caseId }, body: { body, visibility }, claims: AGENT });
  const setStatus = (caseId: string, status: string) => call({ routeKey: 'PATCH /cases/{id}', pathParameters: { id: caseId }, body: { status }, claims: AGENT });

  it('POST /me/cases opens for the token customer on web/general/normal and answers only MyCase fields', async () => {
    const res = await call({ routeKey: 'POST /me/cases', body: { subject: 'Kettle broken', description: 'Since Monday' }, claims: customerClaims('cust-a') });
    expect(res.statusCode).toBe(201);
    expect(Object.keys(res.json).sort()).toEqual(MY_CASE_KEYS);
    expect(res.headers.location).toBe(`/me/cases/${res.json.id}`);
    expect(await repo.get(res.json.id)).toMatchObject({ customerId: 'cust-a', channel: 'web', queue: 'general', priority: 'normal', description: 'Since Monday' });
    expect(repo.events.map((e) => e.definition.detailType)).toEqual(['CaseOpened']);
  });

  it('GET /me/cases lists only the token customer cases, as MyCase', async () => {
    const mine = await openAs('cust-a');
    await openAs('cust-b', 'Not yours');
    const res = await call({ routeKey: 'GET /me/cases', claims: customerClaims('cust-a') });
    expect(res.statusCode).toBe(200);
    expect(res.json.items.map((c: { id: string }) => c.id)).toEqual([mine.id]);
    expect(Object.keys(res.json.items[0]).sort()).toEqual(MY_CASE_KEYS);
  });

  it("another customer's case is a 404 on every route under /me/cases/{id}, the same as an unknown id", async () => {
    const theirs = await openAs('cust-b');
    const before = repo.commits.length;
    for (const routeKey of ['GET /me/cases/{id}', 'GET /me/cases/{id}/comments', 'POST /me/cases/{id}/comments', 'POST /me/cases/{id}/close']) {
      const body = routeKey === 'POST /me/cases/{id}/comments' ? { body: 'hello' } : undefined;
      const foreign = await call({ routeKey, pathParameters: { id: theirs.id }, body, claims: customerClaims('cust-a') });
      const unknown = await call({ routeKey, pathParameters: { id: 'no-such-case' }, body, claims: customerClaims('cust-a') });
      expect(foreign.statusCode, routeKey).toBe(404);
      expect({ ...foreign.json, detail: foreign.json.detail.replace(theirs.id, 'X') }).toEqual({ ...unknown.json, detail: unknown.json.detail.replace('no-such-case', 'X') });
    }
    expect(repo.commits.length).toBe(before);
  });

  it('comments: only public ones, as MyComment (no visibility, no staff author id)', async () => {
    const { id } = await openAs('cust-a');
    await staffComment(id, 'internal note', 'internal');
    await staffComment(id, 'public answer', 'public');
    const res = await call({ routeKey: 'GET /me/cases/{id}/comments', pathParameters: { id }, claims: customerClaims('cust-a') });
    expect(res.statusCode).toBe(200);
    expect(res.json.items).toHaveLength(1);
    expect(Object.keys(res.json.items[0]).sort()).toEqual(MY_COMMENT_KEYS);
    expect(res.json.items[0]).toMatchObject({ body: 'public answer', authorType: 'staff' });
    expect(JSON.stringify(res.json)).not.toContain('agent-ann');
  });

  it('a reply to a solved case reopens it in the same write (CaseStatusChanged); to an open one it only comments', async () => {
    const { id } = await openAs('cust-a');
    await setStatus(id, 'solved');
    const commitsBefore = repo.commits.length;
    const res = await call({ routeKey: 'POST /me/cases/{id}/comments', pathParameters: { id }, body: { body: 'Still broken' }, claims: customerClaims('cust-a') });
    expect(res.statusCode).toBe(201);
    expect(Object.keys(res.json).sort()).toEqual(MY_COMMENT_KEYS);
    expect(res.json).toMatchObject({ body: 'Still broken', authorType: 'customer' });
    expect(repo.commits.length).toBe(commitsBefore + 1);
    const reply = repo.commits.at(-1)!;
    expect(reply.comment).toMatchObject({ visibility: 'public', authorType: 'customer', authorId: 'cust-a' });
    expect(reply.events.map((e) => e.definition.detailType)).toEqual(['CaseCommented', 'CaseUpdated', 'CaseStatusChanged']);
    expect(reply.events.at(-1)!.data).toMatchObject({ from: 'solved', to: 'open', customerId: 'cust-a' });
    expect(await repo.get(id)).toMatchObject({ status: 'open', solvedAt: null });

    await call({ routeKey: 'POST /me/cases/{id}/comments', pathParameters: { id }, body: { body: 'And again' }, claims: customerClaims('cust-a') });
    expect(repo.commits.at(-1)!.events.map((e) => e.definition.detailType)).toEqual(['CaseCommented']);
  });

  it('close: solved -> closed; otherwise 409 status-move, and case-closed once closed', async () => {
    const { id } = await openAs('cust-a');
    const close = () => call({ routeKey: 'POST /me/cases/{id}/close', pathParameters: { id }, claims: customerClaims('cust-a') });
    const early = await close();
    expect(early.statusCode).toBe(409);
    expect(early.json.type).toBe('urn:ecrm:problem:status-move');
    await setStatus(id, 'solved');
    const closed = await close();
    expect(closed.statusCode).toBe(200);
    expect(Object.keys(closed.json).sort()).toEqual(MY_CASE_KEYS);
    expect(closed.json).toMatchObject({ status: 'closed', closedAt: T0 });
    expect((await close()).json.type).toBe('urn:ecrm:problem:case-closed');
  });

  it('a customer being erased opens no case and adds no reply: 409 being-erased, nothing written', async () => {
    const { id } = await openAs('cust-a');
    const before = repo.commits.length;
    repo.failNext('create', new CustomerBeingErasedError('cust-a'));
    const opened = await call({ routeKey: 'POST /me/cases', body: { subject: 'Hi' }, claims: customerClaims('cust-a') });
    expect(opened.statusCode).toBe(409);
    expect(opened.json.type).toBe('urn:ecrm:problem:being-erased');
    repo.failNext('update', new CustomerBeingErasedError('cust-a'));
    const replied = await call({ routeKey: 'POST /me/cases/{id}/comments', pathParameters: { id }, body: { body: 'Hi' }, claims: customerClaims('cust-a') });
    expect(replied.statusCode).toBe(409);
    expect(replied.json.type).toBe('urn:ecrm:problem:being-erased');
    expect(repo.commits.length).toBe(before);
  });

  it('a profile that is gone or merged away is a 404 saying so; a token without the claim is 403', async () => {
    repo.mergeAway('cust-b');
    const merged = await call({ routeKey: 'GET /me/cases', claims: customerClaims('cust-b') });
    expect(merged.statusCode).toBe(404);
    expect(merged.json.detail).toContain('merged');
    const missing = await call({ routeKey: 'POST /me/cases', body: { subject: 'Hi' }, claims: customerClaims('ghost') });
    expect(missing.statusCode).toBe(404);
    expect((await call({ routeKey: 'GET /me/cases', claims: customerClaims() })).statusCode).toBe(403);
  });
});
