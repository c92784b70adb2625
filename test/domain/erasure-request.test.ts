import { beforeEach, describe, expect, it } from 'vitest';
import { customerUseCases } from '../../domain/customers/customer.use-cases.ts';
import { cancelErasure, DAY_MS, fireDecision, requestErasure } from '../../domain/customers/erasure-request.ts';
import { erasureRequestUseCases, erasureRunUseCases } from '../../domain/customers/erasure-request.use-cases.ts';
import type { ErasureRequest } from '../../domain/customers/me.schema.ts';
import { CustomerBeingErasedError, CustomerNotFoundError, ErasureRequestNotFoundError } from '../../domain/shared/errors.ts';
import { CustomerErasureCancelled } from '../../events/customer-erasure-cancelled.event.ts';
import { CustomerErasureRequested } from '../../events/customer-erasure-requested.event.ts';
import { CustomerErased } from '../../events/customer-erased.event.ts';
import { erasureNotices, erasureRequestedMail } from '../../domain/customers/erasure-notice.ts';
import { fakeOnceGuard } from '../support/case-fakes.ts';
import { type FakeErasureRequests, fakeCustomerMail, fakeErasureRequests, fakeSchedules } from '../support/erasure-fakes.ts';
import { type FakeClock, type FakeCustomerRepository, fakeClock, fakeCustomerRepository, sequentialIds } from '../support/fakes.ts';

const T0 = '2025-01-15T09:00:00.000Z';
const ctx = { correlationId: 'corr-1' };
const pending = (extra: Partial<ErasureRequest> = {}): ErasureRequest => ({
  customerId: 'c-1',
  status: 'pending',
  requestedAt: T0,
  runAt: '2025-01-22T09:00:00.000Z',
  cancelledAt: null,
  ...extra,
});

describe('an erasure request', () => {
  it('is pending until grace days from now, and says so in its event', () => {
    const { request, events } = requestErasure(undefined, 'c-1', new Date(T0), 7);
    expect(request).toEqual(pending());
    expect(events).toEqual([CustomerErasureRequested.of({ customerId: 'c-1', requestedAt: T0, runAt: '2025-01-22T09:00:00.000Z' })]);
  });

  it('runs at a whole second, never before now plus the grace period (Scheduler fires at whole seconds)', () => {
    const { request } = requestErasure(undefined, 'c-1', new Date('2025-01-15T09:00:00.250Z'), 1);
    expect(request.runAt).toBe('2025-01-16T09:00:01.000Z');
    expect(requestErasure(undefined, 'c-1', new Date(T0), 0).request.runAt).toBe(T0);
  });

  it('asked again while pending or running is the same request, with no event', () => {
    for (const current of [pending(), pending({ status: 'done' })]) {
      expect(requestErasure(current, 'c-1', new Date(Date.parse(T0) + DAY_MS), 7)).toEqual({ request: current, events: [] });
    }
  });

  it('asked again after a cancel is a new request with a new run time', () => {
    const later = new Date(Date.parse(T0) + 2 * DAY_MS);
    const { request, events } = requestErasure(pending({ status: 'cancelled', cancelledAt: T0 }), 'c-1', later, 7);
    expect(request).toEqual({ customerId: 'c-1', status: 'pending', requestedAt: later.toISOString(), runAt: '2025-01-24T09:00:00.000Z', cancelledAt: null });
    expect(events).toHaveLength(1);
  });

  it('pending -> cancelled, with CustomerErasureCancelled; nothing else can be cancelled', () => {
    const at = new Date('2025-01-16T10:00:00.000Z');
    expect(cancelErasure(pending(), at)).toEqual({
      request: pending({ status: 'cancelled', cancelledAt: at.toISOString() }),
      events: [CustomerErasureCancelled.of({ customerId: 'c-1' })],
    });
    expect(() => cancelErasure(undefined, at)).toThrow(ErasureRequestNotFoundError);
    expect(() => cancelErasure(pending({ status: 'cancelled', cancelledAt: T0 }), at)).toThrow(ErasureRequestNotFoundError);
    expect(() => cancelErasure(pending({ status: 'done' }), at)).toThrow(CustomerBeingErasedError);
  });

  it('a firing schedule erases only the same, still pending request once it is due', () => {
    const due = new Date('2025-01-22T09:00:00.000Z');
    expect(fireDecision(pending(), T0, due)).toBe('erase');
    expect(fireDecision(pending(), T0, new Date(due.getTime() - 1))).toBe('early');
    expect(fireDecision(pending({ status: 'done' }), T0, due)).toBe('resume');
    expect(fireDecision(pending({ status: 'cancelled', cancelledAt: T0 }), T0, due)).toBe('cancelled');
    expect(fireDecision(pending({ requestedAt: '2025-01-15T10:00:00.000Z' }), T0, due)).toBe('superseded');
    expect(fireDecision(undefined, T0, due)).toBe('gone');
  });
});

describe('the confirmation mail', () => {
  it('names the run time in UTC, greets by first name when known, and tells how to cancel', () => {
    const mail = erasureRequestedMail(pending(), { email: 'ada@example.com', firstName: 'Ada' });
    expect(mail.subject).toBe('Your account will be erased on 2025-01-22 09:00 UTC');
    expect(mail.text).toMatch(/^Hello Ada,\n/);
    expect(mail.text).toContain('It will be erased on 2025-01-22 09:00 UTC.');
    expect(mail.text).toContain('Cancel the request in your account');
    expect(erasureRequestedMail(pending(), { email: 'x@example.com', firstName: null }).text).toMatch(/^Hello,\n/);
  });

  it('goes to nobody when the person is gone', async () => {
    const notices = erasureNotices({ mail: fakeCustomerMail({ get: async () => undefined }), once: fakeOnceGuard() });
    expect(await notices.requested(pending(), ctx)).toBe('nobody');
  });
});

describe('erasure request use cases', () => {
  let clock: FakeClock;
  let requests: FakeErasureRequests;
  let customers: FakeCustomerRepository;

  beforeEach(() => {
    clock = fakeClock(T0);
    customers = fakeCustomerRepository({ clock });
    requests = fakeErasureRequests(async (id) => ((await customers.get(id)) ? undefined : new CustomerNotFoundError(id)));
  });

  const person = () => erasureRequestUseCases({ requests, clock, graceDays: 7 });

  it('records one request however often the person asks, and one event', async () => {
    const me = person();
    const customer = await customerUseCases({ customers, clock, ids: sequentialIds('c') }).create({ email: 'ada@example.com' }, ctx);
    const first = await me.request(customer.customer.id, ctx);
    clock.advance(DAY_MS);
    expect(await me.request(customer.customer.id, ctx)).toEqual(first);
    expect(requests.events.map((e) => e.definition)).toEqual([CustomerErasureRequested]);
    expect(await me.mine(customer.customer.id)).toEqual(first);
  });

  it('a request that lost a race to a concurrent one answers the winner', async () => {
    const me = person();
    const id = (await customerUseCases({ customers, clock, ids: sequentialIds('c') }).create({ email: 'ada@example.com' }, ctx)).customer.id;
    requests.beforeNextWrite(() => requests.seed(pending({ customerId: id, requestedAt: '2025-01-15T08:59:59.000Z' })));
    expect((await me.request(id, ctx)).requestedAt).toBe('2025-01-15T08:59:59.000Z');
    expect(requests.events).toEqual([]);
  });

  it('refuses a person who is not there (the erasure guard)', async () => {
    await expect(person().request('nobody', ctx)).rejects.toThrow(CustomerNotFoundError);
    expect(requests.events).toEqual([]);
  });

  it('cancels a pending request; after that the person has none', async () => {
    requests.seed(pending());
    customers.seed({ ...(await aCustomer()), id: 'c-1' });
    const cancelled = await person().cancel('c-1', ctx);
    expect(cancelled).toMatchObject({ status: 'cancelled', cancelledAt: T0 });
    await expect(person().mine('c-1')).rejects.toThrow(ErasureRequestNotFoundError);
    await expect(person().cancel('c-1', ctx)).rejects.toThrow(ErasureRequestNotFoundError);
    expect(requests.events.map((e) => e.definition)).toEqual([CustomerErasureCancelled]);
  });

  it('lists pending requests soonest run first, in pages', async () => {
    requests.seed(pending({ customerId: 'late', runAt: '2025-01-25T00:00:00.000Z' }));
    requests.seed(pending({ customerId: 'soon', runAt: '2025-01-20T00:00:00.000Z' }));
    requests.seed(pending({ customerId: 'gone', status: 'cancelled', cancelledAt: T0 }));
    const first = await person().listPending({ limit: 1 });
    expect(first.items.map((r) => r.customerId)).toEqual(['soon']);
    const second = await person().listPending({ limit: 1, cursor: first.nextCursor! });
    expect([second.items.map((r) => r.customerId), second.nextCursor]).toEqual([['late'], null]);
  });

  describe('the scheduled run', () => {
    const schedules = fakeSchedules();
    const run = () =>
      erasureRunUseCases({
        requests,
        clock,
        schedules,
        customers: customerUseCases({ customers, clock, ids: sequentialIds('e') }),
        notices: erasureNotices({ mail: fakeCustomerMail(customers), once: fakeOnceGuard({ clock }) }),
      });

    beforeEach(async () => {
      schedules.calls.length = 0;
      customers.seed({ ...(await aCustomer()), id: 'c-1' });
    });

    it('schedules a pending request at its run time, and unschedules a cancelled one', async () => {
      requests.seed(pending());
      expect(await run().reconcile('c-1', ctx)).toBe('scheduled');
      requests.seed(pending({ status: 'cancelled', cancelledAt: T0 }));
      expect(await run().reconcile('c-1', ctx)).toBe('unscheduled');
      expect(schedules.calls).toEqual([
        { op: 'at', name: 'erasure-c-1', at: '2025-01-22T09:00:00.000Z', target: 'scheduledErasure', input: { customerId: 'c-1', requestedAt: T0, correlationId: 'corr-1' } },
        { op: 'cancel', name: 'erasure-c-1' },
      ]);
    });

    it('erases the person when the same pending request is due, and marks it done first', async () => {
      requests.seed(pending());
      clock.set('2025-01-22T09:00:00.000Z');
      expect(await run().fire('c-1', T0, ctx)).toBe('erase');
      expect(await customers.get('c-1')).toBeUndefined();
      expect(customers.events.map((e) => e.definition)).toContain(CustomerErased);
      expect((await requests.get('c-1'))?.status).toBe('done');
    });

    it('does nothing for a cancelled, replaced or missing request', async () => {
      clock.set('2025-02-01T00:00:00.000Z');
      requests.seed(pending({ status: 'cancelled', cancelledAt: T0 }));
      expect(await run().fire('c-1', T0, ctx)).toBe('cancelled');
      requests.seed(pending({ requestedAt: '2025-01-20T00:00:00.000Z', runAt: '2025-01-27T00:00:00.000Z' }));
      expect(await run().fire('c-1', T0, ctx)).toBe('superseded');
      expect(await run().fire('c-2', T0, ctx)).toBe('gone');
      expect(await customers.get('c-1')).toBeDefined();
      expect(schedules.calls).toEqual([]);
    });

    it('a schedule that fires early is armed again for the run time, and erases nothing', async () => {
      requests.seed(pending());
      clock.set('2025-01-22T08:59:00.000Z');
      expect(await run().fire('c-1', T0, ctx)).toBe('early');
      expect(schedules.calls.map((c) => [c.op, c.at])).toEqual([['at', '2025-01-22T09:00:00.000Z']]);
      expect(await customers.get('c-1')).toBeDefined();
    });

    it('a cancel that wins the race with the run keeps the person', async () => {
      requests.seed(pending());
      clock.set('2025-01-22T09:00:00.000Z');
      requests.beforeNextWrite(() => requests.seed(pending({ status: 'cancelled', cancelledAt: '2025-01-22T08:59:59.000Z' })));
      expect(await run().fire('c-1', T0, ctx)).toBe('cancelled');
      expect(await customers.get('c-1')).toBeDefined();
    });

    it('a firing after a run that failed midway resumes the erasure; a person already gone is fine', async () => {
      requests.seed(pending({ status: 'done' }));
      clock.set('2025-01-22T09:00:00.000Z');
      customers.failNext('erase', new Error('table unavailable'));
      await expect(run().fire('c-1', T0, ctx)).rejects.toThrow('table unavailable');
      expect(await run().fire('c-1', T0, ctx)).toBe('resume');
      expect(await customers.get('c-1')).toBeUndefined();
      expect(await run().fire('c-1', T0, ctx)).toBe('resume');
    });

    it('a cancel after the run began is refused: the erasure has begun', async () => {
      requests.seed(pending({ status: 'done' }));
      await expect(person().cancel('c-1', ctx)).rejects.toThrow(CustomerBeingErasedError);
    });
  });
});

async function aCustomer() {
  const repo = fakeCustomerRepository();
  return (await customerUseCases({ customers: repo, clock: fakeClock(T0), ids: sequentialIds('x') }).create({ email: 'ada@example.com' }, ctx)).customer;
}
