import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { customerUseCases } from '../../domain/customers/customer.use-cases.ts';
import { erasureRunUseCases } from '../../domain/customers/erasure-request.use-cases.ts';
import type { ErasureRequest } from '../../domain/customers/me.schema.ts';
import { CustomerErased } from '../../events/customer-erased.event.ts';
import { CustomerErasureCancelled } from '../../events/customer-erasure-cancelled.event.ts';
import { CustomerErasureRequested } from '../../events/customer-erasure-requested.event.ts';
import type { EventDefinition } from '../../events/define-event.ts';
import { scheduledErasureHandler } from '../../functions/customers/scheduled-erasure.handler.ts';
import { erasureNotices } from '../../domain/customers/erasure-notice.ts';
import { fakeOnceGuard } from '../support/case-fakes.ts';
import { type FakeErasureRequests, fakeCustomerMail, fakeErasureRequests, fakeSchedules } from '../support/erasure-fakes.ts';
import { type FakeClock, type FakeCustomerRepository, fakeClock, fakeCustomerRepository, sequentialIds } from '../support/fakes.ts';

// The scheduledErasure function's three kinds of input: CustomerErasureRequested and
// CustomerErasureCancelled from their rules (EventBridge envelopes), and the one-off schedule's
// own bare input at the end of the grace period; fakes for the table and the scheduler.

const T0 = '2025-01-15T09:00:00.000Z';
const RUN_AT = '2025-01-22T09:00:00.000Z';

let clock: FakeClock;
let customers: FakeCustomerRepository;
let requests: FakeErasureRequests;
let schedules: ReturnType<typeof fakeSchedules>;
let mail: ReturnType<typeof fakeCustomerMail>;
let handler: ReturnType<typeof scheduledErasureHandler>;
let customerId: string;
let infoLog: ReturnType<typeof vi.spyOn>;

beforeEach(async () => {
  infoLog = vi.spyOn(console, 'log').mockImplementation(() => undefined);
  clock = fakeClock(T0);
  customers = fakeCustomerRepository({ clock });
  const people = customerUseCases({ customers, clock, ids: sequentialIds('c') });
  customerId = (await people.create({ email: 'ada@example.com' }, { correlationId: 'setup' })).customer.id;
  requests = fakeErasureRequests();
  schedules = fakeSchedules();
  mail = fakeCustomerMail(customers);
  const notices = erasureNotices({ mail, once: fakeOnceGuard({ clock, leaseMs: 60_000 }) });
  handler = scheduledErasureHandler(erasureRunUseCases({ requests, clock, schedules, customers: people, notices }));
});

afterEach(() => {
  infoLog.mockRestore();
});

const request = (extra: Partial<ErasureRequest> = {}): ErasureRequest => ({ customerId, status: 'pending', requestedAt: T0, runAt: RUN_AT, cancelledAt: null, ...extra });

function busEvent(definition: EventDefinition, data: unknown) {
  return {
    version: '0',
    id: 'eb-1',
    'detail-type': definition.detailType,
    source: definition.source,
    account: '123456789012',
    time: T0,
    region: 'eu-central-1',
    resources: [],
    detail: { metadata: { eventId: 'e-1', version: 1, occurredAt: T0, correlationId: 'corr-delete-me', causationId: null, idempotencyKey: 'i-1' }, data },
  };
}

describe('scheduledErasure', () => {
  it('on CustomerErasureRequested: creates the one-off schedule at runAt, naming the request', async () => {
    requests.seed(request());
    expect(await handler(busEvent(CustomerErasureRequested, { customerId, requestedAt: T0, runAt: RUN_AT }))).toEqual({ outcome: 'scheduled' });
    expect(schedules.calls).toEqual([
      { op: 'at', name: `erasure-${customerId}`, at: RUN_AT, target: 'scheduledErasure', input: { customerId, requestedAt: T0, correlationId: 'corr-delete-me' } },
    ]);
  });

  it('on CustomerErasureRequested: confirms the request to the person by email, once however often the event comes', async () => {
    requests.seed(request());
    const event = busEvent(CustomerErasureRequested, { customerId, requestedAt: T0, runAt: RUN_AT });
    await handler(event);
    await handler(event);
    expect(mail.sent).toEqual([
      expect.objectContaining({ customerId, to: ['ada@example.com'], subject: 'Your account will be erased on 2025-01-22 09:00 UTC', deliveryKey: `erasure-requested#${customerId}#${T0}` }),
    ]);
    expect(mail.sent[0]!.text).toContain('Cancel the request in your account before then');
  });

  it("a mail that fails fails the delivery after the schedule exists; the retry sends it", async () => {
    requests.seed(request());
    const event = busEvent(CustomerErasureRequested, { customerId, requestedAt: T0, runAt: RUN_AT });
    mail.failNext(new Error('SES unavailable'));
    await expect(handler(event)).rejects.toThrow('SES unavailable');
    expect(schedules.calls.map((c) => c.op)).toEqual(['at']);
    await handler(event);
    expect(mail.sent).toHaveLength(1);
  });

  it('no mail for a request that is no longer the pending one (a stale event), nor for a cancel', async () => {
    requests.seed(request({ requestedAt: '2025-01-16T09:00:00.000Z' }));
    await handler(busEvent(CustomerErasureRequested, { customerId, requestedAt: T0, runAt: RUN_AT }));
    await handler(busEvent(CustomerErasureCancelled, { customerId }));
    expect(mail.sent).toEqual([]);
  });

  it('on CustomerErasureCancelled: deletes the schedule', async () => {
    requests.seed(request({ status: 'cancelled', cancelledAt: T0 }));
    expect(await handler(busEvent(CustomerErasureCancelled, { customerId }))).toEqual({ outcome: 'unscheduled' });
    expect(schedules.calls).toEqual([{ op: 'cancel', name: `erasure-${customerId}` }]);
  });

  it('a cancel delivered after the next request keeps the next request scheduled (the schedule follows the request, not the event)', async () => {
    const next = request({ requestedAt: '2025-01-16T09:00:00.000Z', runAt: '2025-01-23T09:00:00.000Z' });
    requests.seed(next);
    expect(await handler(busEvent(CustomerErasureCancelled, { customerId }))).toEqual({ outcome: 'scheduled' });
    expect(schedules.calls).toMatchObject([{ op: 'at', at: next.runAt, input: { requestedAt: next.requestedAt } }]);
  });

  it('a scheduler that fails makes the delivery fail, so the rule retries it (nothing is lost)', async () => {
    requests.seed(request());
    schedules.failNext(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    await expect(handler(busEvent(CustomerErasureRequested, { customerId, requestedAt: T0, runAt: RUN_AT }))).rejects.toThrow('Rate exceeded');
    expect(await handler(busEvent(CustomerErasureRequested, { customerId, requestedAt: T0, runAt: RUN_AT }))).toEqual({ outcome: 'scheduled' });
  });

  it("the schedule's own input at runAt: erases the person, with the request's correlation id", async () => {
    requests.seed(request());
    clock.set(RUN_AT);
    expect(await handler({ customerId, requestedAt: T0, correlationId: 'corr-delete-me' })).toEqual({ outcome: 'erase' });
    expect(await customers.get(customerId)).toBeUndefined();
    const erased = customers.commits.find((c) => c.events.some((e) => e.definition === CustomerErased));
    expect(erased?.context.correlationId).toBe('corr-delete-me');
    // Firing twice is harmless.
    expect(await handler({ customerId, requestedAt: T0 })).toEqual({ outcome: 'resume' });
  });

  it("the schedule's input for a request that was cancelled or replaced erases nobody", async () => {
    clock.set(RUN_AT);
    requests.seed(request({ status: 'cancelled', cancelledAt: T0 }));
    expect(await handler({ customerId, requestedAt: T0 })).toEqual({ outcome: 'cancelled' });
    requests.seed(request({ requestedAt: '2025-01-16T09:00:00.000Z' }));
    expect(await handler({ customerId, requestedAt: T0 })).toEqual({ outcome: 'superseded' });
    expect(await customers.get(customerId)).toBeDefined();
  });

  it('refuses input it does not know (the delivery fails into the dead-letter queue, nothing is erased)', async () => {
    requests.seed(request());
    clock.set(RUN_AT);
    await expect(handler(busEvent(CustomerErased, { customerId }))).rejects.toThrow('unexpected event crm.customers/CustomerErased');
    await expect(handler({ customerId })).rejects.toThrow();
    await expect(handler({ customerId, requestedAt: 'yesterday' })).rejects.toThrow();
    expect(await customers.get(customerId)).toBeDefined();
  });
});
