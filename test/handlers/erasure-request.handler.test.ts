import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { customersHandler } from '../../functions/customers/customers.app.ts';
import { CustomerNotFoundError } from '../../domain/shared/errors.ts';
import { type ApiRequest, claimsFor, invoke } from '../support/api-gateway.ts';
import { type FakeErasureRequests, fakeErasureRequests } from '../support/erasure-fakes.ts';
import { type FakeClock, type FakeCustomerRepository, fakeClock, fakeCustomerRepository, sequentialIds } from '../support/fakes.ts';

// The erasure request routes of the customers function: DELETE /me, GET /me/erasure,
// POST /me/erasure/cancel (the token's own customer, never an id in the path) and the staff
// listing GET /erasure-requests; in-memory fakes behind the real route map.

const T0 = '2025-01-15T09:00:00.000Z';
let clock: FakeClock;
let repo: FakeCustomerRepository;
let requests: FakeErasureRequests;
let handler: ReturnType<typeof customersHandler>;
let errorLog: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  clock = fakeClock(T0);
  repo = fakeCustomerRepository({ clock });
  requests = fakeErasureRequests(async (id) => ((await repo.get(id)) ? undefined : new CustomerNotFoundError(id)));
  handler = customersHandler({ customers: repo, clock, ids: sequentialIds('c'), erasureRequests: requests, erasureGraceDays: 14 });
  errorLog = vi.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterEach(() => {
  errorLog.mockRestore();
});

const call = (request: ApiRequest) => invoke(handler, request);
const me = (customerId: string) => claimsFor(['customer'], { customerId, sub: `sub-${customerId}` });

async function customer(email: string): Promise<string> {
  const created = await call({ routeKey: 'POST /customers', body: { email }, claims: claimsFor(['agent']) });
  expect(created.statusCode).toBe(201);
  return created.json.id;
}

describe('erasure request routes', () => {
  it('DELETE /me: 202 with the request, running after the configured grace period; again: the same request', async () => {
    const id = await customer('ada@example.com');
    const asked = await call({ routeKey: 'DELETE /me', claims: me(id) });
    expect(asked.statusCode).toBe(202);
    expect(asked.json).toEqual({ customerId: id, status: 'pending', requestedAt: T0, runAt: '2025-01-29T09:00:00.000Z', cancelledAt: null });
    clock.advance(60_000);
    expect((await call({ routeKey: 'DELETE /me', claims: me(id) })).json).toEqual(asked.json);
    expect((await call({ routeKey: 'GET /me/erasure', claims: me(id) })).json).toEqual(asked.json);
    expect(requests.events).toHaveLength(1);
  });

  it('POST /me/erasure/cancel: 200 cancelled, then 404 for both cancel and GET', async () => {
    const id = await customer('ada@example.com');
    await call({ routeKey: 'DELETE /me', claims: me(id) });
    const cancelled = await call({ routeKey: 'POST /me/erasure/cancel', claims: me(id) });
    expect([cancelled.statusCode, cancelled.json.status, cancelled.json.cancelledAt]).toEqual([200, 'cancelled', T0]);
    expect((await call({ routeKey: 'POST /me/erasure/cancel', claims: me(id) })).statusCode).toBe(404);
    const none = await call({ routeKey: 'GET /me/erasure', claims: me(id) });
    expect([none.statusCode, none.headers['content-type'], none.json.detail]).toEqual([404, 'application/problem+json', 'You have no pending erasure request.']);
  });

  it("a person's cancel reaches only their own request", async () => {
    const a = await customer('a@example.com');
    const b = await customer('b@example.com');
    await call({ routeKey: 'DELETE /me', claims: me(a) });
    expect((await call({ routeKey: 'POST /me/erasure/cancel', claims: me(b) })).statusCode).toBe(404);
    expect((await call({ routeKey: 'GET /me/erasure', claims: me(a) })).json.status).toBe('pending');
  });

  it('a customer token without a customer id, or a staff token, may not use them', async () => {
    expect((await call({ routeKey: 'DELETE /me', claims: claimsFor(['customer']) })).statusCode).toBe(403);
    expect((await call({ routeKey: 'DELETE /me', claims: claimsFor(['admin']) })).statusCode).toBe(403);
    expect((await call({ routeKey: 'GET /erasure-requests', claims: me('c-1') })).statusCode).toBe(403);
    expect((await call({ routeKey: 'GET /erasure-requests', claims: claimsFor(['agent']) })).statusCode).toBe(403);
  });

  it('DELETE /me for a person who is not there: 404, nothing recorded', async () => {
    expect((await call({ routeKey: 'DELETE /me', claims: me('nobody') })).statusCode).toBe(404);
    expect(requests.events).toEqual([]);
  });

  it('GET /erasure-requests: pending requests soonest first, paged; a bad query is a 400', async () => {
    const first = await customer('first@example.com');
    const second = await customer('second@example.com');
    const third = await customer('third@example.com');
    for (const id of [first, second, third]) {
      await call({ routeKey: 'DELETE /me', claims: me(id) });
      clock.advance(1000);
    }
    await call({ routeKey: 'POST /me/erasure/cancel', claims: me(second) });
    const page = await call({ routeKey: 'GET /erasure-requests', query: { limit: '1' }, claims: claimsFor(['manager']) });
    expect([page.statusCode, page.json.items.map((r: { customerId: string }) => r.customerId)]).toEqual([200, [first]]);
    const next = await call({ routeKey: 'GET /erasure-requests', query: { limit: '1', cursor: page.json.nextCursor }, claims: claimsFor(['admin']) });
    expect([next.json.items.map((r: { customerId: string }) => r.customerId), next.json.nextCursor]).toEqual([[third], null]);
    expect((await call({ routeKey: 'GET /erasure-requests', query: { limit: '0' }, claims: claimsFor(['admin']) })).statusCode).toBe(400);
    expect((await call({ routeKey: 'GET /erasure-requests', query: { status: 'pending' }, claims: claimsFor(['admin']) })).statusCode).toBe(400);
  });
});
