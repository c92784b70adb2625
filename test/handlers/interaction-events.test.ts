import { beforeEach, describe, expect, it } from 'vitest';
import { customersHandler } from '../../functions/customers/customers.app.ts';
import { InteractionRecorded } from '../../events/interaction-recorded.event.ts';
import { claimsFor, invoke } from '../support/api-gateway.ts';
import { type FakeCustomerRepository, fakeClock, fakeCustomerRepository, sequentialIds } from '../support/fakes.ts';
import { fakeErasureRequests } from '../support/erasure-fakes.ts';

// Issue 10: every interaction recorded to a known customer raises InteractionRecorded (ids, channel
// and type: what a triggered campaign's rule matches), committed with the interaction itself.

const AGENT = claimsFor(['agent']);
let repo: FakeCustomerRepository;
let handler: ReturnType<typeof customersHandler>;

beforeEach(() => {
  const clock = fakeClock('2025-01-15T09:00:00.000Z');
  repo = fakeCustomerRepository({ clock });
  handler = customersHandler({ customers: repo, clock, ids: sequentialIds('c'), erasureRequests: fakeErasureRequests() });
});

async function customer(email: string): Promise<string> {
  const response = await invoke(handler, { routeKey: 'POST /customers', body: { email }, claims: AGENT });
  expect(response.statusCode).toBe(201);
  return response.json.id as string;
}

const recordedEvents = () => repo.commits.filter((c) => c.operation === 'saveInteractions');

describe('InteractionRecorded', () => {
  it('is committed with an interaction recorded on POST /customers/{id}/interactions, without its data', async () => {
    const id = await customer('ada@example.com');
    const response = await invoke(handler, {
      routeKey: 'POST /customers/{id}/interactions',
      pathParameters: { id },
      body: { channel: 'web', type: 'page_view', data: { path: '/pricing', secret: 'do-not-publish' }, summary: 'Looked at prices' },
      claims: AGENT,
    });
    expect(response.statusCode).toBe(201);
    const [commit, ...more] = recordedEvents();
    expect(more).toEqual([]);
    expect(commit!.events.map((e) => [e.definition, e.data])).toEqual([
      [InteractionRecorded, { customerId: id, interactionId: response.json.id, channel: 'web', type: 'page_view', occurredAt: response.json.occurredAt }],
    ]);
    expect(JSON.stringify(commit!.events.map((e) => e.data))).not.toMatch(/pricing|do-not-publish|Looked/);
    expect(commit!.context.correlationId).toMatch(/^req-/);
  });

  it('is committed for each item of POST /interactions that names a known customer, none for anonymous or refused items', async () => {
    const ada = await customer('ada@example.com');
    const bob = await customer('bob@example.com');
    const response = await invoke(handler, {
      routeKey: 'POST /interactions',
      body: {
        items: [
          { customerId: ada, channel: 'web', type: 'click' },
          { email: 'bob@example.com', channel: 'email', type: 'open' },
          { anonymousId: 'anon-1', channel: 'web', type: 'page_view' },
          { customerId: 'nobody', channel: 'web', type: 'click' },
        ],
      },
      claims: AGENT,
    });
    expect(response.statusCode).toBe(200);
    const created = response.json.items as { status: string; id: string }[];
    expect(created.map((i) => i.status)).toEqual(['created', 'created', 'created', 'error']);
    const [commit, ...more] = recordedEvents();
    expect(more).toEqual([]);
    expect(commit!.events.map((e) => e.data)).toEqual([
      expect.objectContaining({ customerId: ada, interactionId: created[0]!.id, channel: 'web', type: 'click' }),
      expect.objectContaining({ customerId: bob, interactionId: created[1]!.id, channel: 'email', type: 'open' }),
    ]);
  });

  it('is not raised again when an Idempotency-Key retry replays the first answer', async () => {
    const id = await customer('ada@example.com');
    const send = () =>
      invoke(handler, {
        routeKey: 'POST /customers/{id}/interactions',
        pathParameters: { id },
        body: { channel: 'phone', type: 'call' },
        headers: { 'idempotency-key': 'call-1' },
        claims: AGENT,
      });
    expect((await send()).statusCode).toBe(201);
    expect((await send()).statusCode).toBe(201);
    expect(recordedEvents().flatMap((c) => c.events)).toHaveLength(1);
  });
});
