import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CreateCustomerInput, Customer, CustomerPatch, MAX_ATTRIBUTES } from '../../domain/customers/customer.schema.ts';
import { createCustomer, eraseCustomer, mergeCustomers, patchCustomer } from '../../domain/customers/customer.ts';
import { EMPTY_STATS } from '../../domain/customers/stats.ts';
import { ValidationError } from '../../domain/shared/errors.ts';
import { CustomerCreated } from '../../events/customer-created.event.ts';
import { CustomerErased } from '../../events/customer-erased.event.ts';
import { CustomersMerged } from '../../events/customers-merged.event.ts';
import { CustomerUpdated } from '../../events/customer-updated.event.ts';
import { createInputArb, patchArb } from '../support/arbitraries.ts';
import { fakeClock } from '../support/fakes.ts';

const clock = fakeClock('2025-01-15T09:00:00.000Z');
const T0 = clock.now();
const T1 = new Date('2025-01-15T10:30:00.000Z');

function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}

function ada(): Customer {
  return createCustomer(
    CreateCustomerInput.parse({
      email: 'ada@example.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
      phone: '+441234567890',
      locale: 'en-GB',
      timezone: 'Europe/London',
      attributes: { plan: 'gold', score: 7, vip: true },
      tags: ['math', 'vip'],
    }),
    'c-1',
    T0,
  ).customer;
}

describe('createCustomer', () => {
  it('starts at version 1 with createdAt and updatedAt set to now', () => {
    const { customer } = createCustomer({ email: 'ada@example.com' }, 'c-1', T0);
    expect(customer).toEqual({
      id: 'c-1',
      email: 'ada@example.com',
      firstName: null,
      lastName: null,
      phone: null,
      locale: null,
      timezone: null,
      attributes: {},
      tags: [],
      stats: EMPTY_STATS,
      statsRevision: 0,
      mergedInto: null,
      createdAt: '2025-01-15T09:00:00.000Z',
      updatedAt: '2025-01-15T09:00:00.000Z',
      version: 1,
    });
  });

  it('raises CustomerCreated naming the fields that were given, never their values', () => {
    const { events } = createCustomer(
      { email: 'grace.hopper@navy.example', firstName: 'Grace', lastName: 'Hopper', tags: ['cobol'] },
      'c-2',
      T0,
    );
    expect(events).toHaveLength(1);
    expect(events[0]!.definition).toBe(CustomerCreated);
    expect(events[0]!.data).toEqual({ customerId: 'c-2', fields: ['email', 'firstName', 'lastName', 'tags'] });
    const serialized = JSON.stringify(events[0]!.data);
    for (const personal of ['grace.hopper', 'navy.example', 'Grace', 'Hopper', 'cobol']) {
      expect(serialized).not.toContain(personal);
    }
  });

  it('round-trips any valid input: the stored customer holds exactly the parsed values and fits the Customer schema', () => {
    fc.assert(
      fc.property(createInputArb, (raw) => {
        const input = CreateCustomerInput.parse(raw);
        const { customer, events } = createCustomer(input, 'c-prop', T0);
        const { statsRevision, ...view } = customer;
        expect(statsRevision).toBe(0);
        expect(Customer.parse(JSON.parse(JSON.stringify(view)))).toEqual(view);
        for (const [field, value] of Object.entries(input)) expect(customer[field as keyof Customer]).toEqual(value);
        expect(customer.email).toBe(raw.email.toLowerCase());
        const data = events[0]!.data as { customerId: string; fields: string[] };
        expect(data.customerId).toBe('c-prop');
        expect([...data.fields].sort()).toEqual(Object.keys(raw).sort());
        expect(JSON.stringify(events.map((e) => e.data))).not.toContain(customer.email);
      }),
      { numRuns: 100 },
    );
  });
});

describe('patchCustomer (JSON merge patch)', () => {
  it('clears an optional field given null and leaves fields the patch does not name alone', () => {
    const { customer, changed } = patchCustomer(ada(), { phone: null, lastName: 'King' }, T1);
    expect(customer.phone).toBeNull();
    expect(customer.lastName).toBe('King');
    expect(customer.firstName).toBe('Ada');
    expect(customer.locale).toBe('en-GB');
    expect(changed).toEqual(['lastName', 'phone']);
  });

  it('merges attributes key by key: new keys added, given keys replaced, null removes a key', () => {
    const { customer } = patchCustomer(ada(), { attributes: { plan: 'platinum', score: null, region: 'EU' } }, T1);
    expect(customer.attributes).toEqual({ plan: 'platinum', vip: true, region: 'EU' });
  });

  it('attributes: null removes every attribute', () => {
    expect(patchCustomer(ada(), { attributes: null }, T1).customer.attributes).toEqual({});
  });

  it('replaces the tag list instead of merging it; tags: null empties it', () => {
    expect(patchCustomer(ada(), { tags: ['newsletter'] }, T1).customer.tags).toEqual(['newsletter']);
    expect(patchCustomer(ada(), { tags: null }, T1).customer.tags).toEqual([]);
  });

  it('bumps the version, stamps updatedAt and raises CustomerUpdated listing the changed field names', () => {
    const before = ada();
    const { customer, events } = patchCustomer(before, { email: 'ada@lovelace.example', attributes: { vip: false } }, T1);
    expect(customer.version).toBe(2);
    expect(customer.updatedAt).toBe(T1.toISOString());
    expect(customer.createdAt).toBe(before.createdAt);
    expect(events).toHaveLength(1);
    expect(events[0]!.definition).toBe(CustomerUpdated);
    expect(events[0]!.data).toEqual({ customerId: 'c-1', changed: ['email', 'attributes'], version: 2 });
    expect(JSON.stringify(events[0]!.data)).not.toContain('lovelace');
  });

  it('a patch that changes nothing returns the same customer, the same version and no events', () => {
    const before = ada();
    for (const patch of [{}, { firstName: 'Ada' }, { attributes: { plan: 'gold' } }, { tags: ['math', 'vip'] }] satisfies CustomerPatch[]) {
      const result = patchCustomer(before, patch, T1);
      expect(result.events).toEqual([]);
      expect(result.changed).toEqual([]);
      expect(result.customer).toEqual(before);
      expect(result.customer.version).toBe(1);
    }
  });

  it('treats attributes that differ only in key order as unchanged', () => {
    const before = ada();
    const reordered = { vip: true, score: 7, plan: 'gold' };
    expect(patchCustomer(before, { attributes: reordered }, T1).events).toEqual([]);
  });

  it(`rejects a merge that would leave more than ${MAX_ATTRIBUTES} attributes with a ValidationError on attributes`, () => {
    const full = { ...ada(), attributes: Object.fromEntries(Array.from({ length: MAX_ATTRIBUTES }, (_, i) => [`k${i}`, i])) };
    expect(() => patchCustomer(full, { attributes: { k0: 'replaced' } }, T1)).not.toThrow();
    expect(() => patchCustomer(full, { attributes: { k0: null, extra: 1 } }, T1)).not.toThrow();
    const thrown = thrownBy(() => patchCustomer(full, { attributes: { extra: 1 } }, T1));
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as ValidationError).issues).toEqual([{ path: 'attributes', message: expect.stringContaining(`${MAX_ATTRIBUTES}`) }]);
  });

  it('is idempotent: applying the same patch twice equals applying it once', () => {
    const base = fc.tuple(createInputArb, patchArb);
    fc.assert(
      fc.property(base, ([rawInput, rawPatch]) => {
        const start = createCustomer(CreateCustomerInput.parse(rawInput), 'c-prop', T0).customer;
        const patch = CustomerPatch.parse(rawPatch);
        const once = patchCustomer(start, patch, T1);
        const twice = patchCustomer(once.customer, patch, new Date(T1.getTime() + 60_000));
        expect(twice.customer).toEqual(once.customer);
        expect(twice.events).toEqual([]);
        expect(once.customer.version).toBe(once.events.length === 0 ? 1 : 2);
      }),
      { numRuns: 200 },
    );
  });
});

describe('eraseCustomer', () => {
  it('raises CustomerErased carrying only ids: its own and those of the profiles merged into it', () => {
    expect(eraseCustomer(ada()).map((e) => [e.definition, e.data])).toEqual([[CustomerErased, { customerId: 'c-1', mergedFrom: [] }]]);
    expect(eraseCustomer(ada(), ['c-7', 'c-9']).map((e) => e.data)).toEqual([{ customerId: 'c-1', mergedFrom: ['c-7', 'c-9'] }]);
  });
});

describe('mergeCustomers', () => {
  const target = (): Customer => ({
    ...ada(),
    phone: null,
    attributes: { plan: 'gold' },
    tags: ['math'],
    stats: { interactionCount: 2, lastInteractionAt: '2025-01-10T00:00:00.000Z', lastChannel: 'web', purchaseCount: 1, totalSpent: { EUR: 10.5 }, byChannel: { web: 2 } },
    statsRevision: 2,
  });
  const source = (): Customer => ({
    ...createCustomer({ email: 'ada.l@example.com', firstName: 'Augusta', phone: '+4915112345678', attributes: { plan: 'silver', region: 'UK' }, tags: ['math', 'poetry'] }, 'c-2', T0)
      .customer,
    stats: { interactionCount: 3, lastInteractionAt: '2025-01-12T00:00:00.000Z', lastChannel: 'email', purchaseCount: 2, totalSpent: { EUR: 0.25, USD: 7 }, byChannel: { web: 1, email: 2 } },
    statsRevision: 3,
    version: 4,
  });

  it("keeps the target's fields, fills its empty ones from the source and unites tags and attributes", () => {
    const { target: merged } = mergeCustomers(target(), source(), T1);
    expect(merged).toMatchObject({
      id: 'c-1',
      email: 'ada@example.com',
      firstName: 'Ada',
      phone: '+4915112345678',
      attributes: { plan: 'gold', region: 'UK' },
      tags: ['math', 'poetry'],
      version: 2,
      statsRevision: 3,
      updatedAt: T1.toISOString(),
      mergedInto: null,
    });
  });

  it('adds up the stats and takes the latest interaction from whichever had it', () => {
    const { target: merged } = mergeCustomers(target(), source(), T1);
    expect(merged.stats).toEqual({
      interactionCount: 5,
      lastInteractionAt: '2025-01-12T00:00:00.000Z',
      lastChannel: 'email',
      purchaseCount: 3,
      totalSpent: { EUR: 10.75, USD: 7 },
      byChannel: { web: 3, email: 2 },
    });
  });

  it('leaves the source as a tombstone holding no personal data, only the pointer', () => {
    const { source: tombstone, events } = mergeCustomers(target(), source(), T1);
    expect(tombstone).toMatchObject({
      id: 'c-2',
      email: '',
      firstName: null,
      phone: null,
      attributes: {},
      tags: [],
      stats: EMPTY_STATS,
      mergedInto: 'c-1',
      version: 5,
    });
    expect(JSON.stringify(tombstone)).not.toMatch(/Augusta|4915112345678|poetry|ada\.l@/);
    expect(events.map((e) => [e.definition, e.data])).toEqual([[CustomersMerged, { targetId: 'c-1', sourceId: 'c-2' }]]);
  });

  it(`never exceeds ${MAX_ATTRIBUTES} attributes when uniting them`, () => {
    const full = { ...target(), attributes: Object.fromEntries(Array.from({ length: MAX_ATTRIBUTES }, (_, i) => [`k${i}`, i])) };
    const { target: merged } = mergeCustomers(full, source(), T1);
    expect(Object.keys(merged.attributes)).toHaveLength(MAX_ATTRIBUTES);
    expect(merged.attributes).toEqual(full.attributes);
  });
});
