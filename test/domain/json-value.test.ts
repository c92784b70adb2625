import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type * as z from '#domain/shared/zod.ts';
import { CreateCustomerInput, CustomerPatch } from '../../domain/customers/customer.schema.ts';
import { BatchItem, InteractionInput } from '../../domain/customers/interaction.schema.ts';
import { MAX_JSON_DEPTH, jsonValueIssues } from '../../domain/shared/json-value.ts';

function issues(schema: z.ZodMiniType, value: unknown): { path: string; message: string }[] {
  const result = schema.safeParse(value);
  if (result.success) return [];
  return result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

/** `levels` nested maps: {a: {a: ... 1}}. */
function nested(levels: number, leaf: unknown = 1): unknown {
  let value = leaf;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

const interaction = (data: unknown) => ({ channel: 'web', type: 'page_view', data });

// Numbers JSON.parse hands over that DynamoDB (or the SDK's marshaller) cannot store as sent.
const UNSTORABLE = [9007199254740993, 9007199254740992, -9007199254740992, 1e21, -1e21, 1e126, 1e300, 1e-131, -1e-131, 5e-324];
const STORABLE = [0, -0, 1, -1, 0.5, 1e-7, 1e-130, -1e-130, 3.141592653589793, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, 123456789.123];

describe('numbers in attributes and data', () => {
  it.each(UNSTORABLE)('refuses %d in customer attributes, naming the attribute', (n) => {
    expect(issues(CreateCustomerInput, { email: 'a@b.co', attributes: { score: n } })).toEqual([{ path: 'attributes.score', message: expect.any(String) }]);
    expect(issues(CustomerPatch, { attributes: { score: n } })).toEqual([{ path: 'attributes.score', message: expect.any(String) }]);
  });

  it.each(UNSTORABLE)('refuses %d anywhere in interaction data, naming its path', (n) => {
    expect(issues(InteractionInput, interaction({ cart: { items: [{ qty: 1 }, { qty: n }] } }))).toEqual([
      { path: 'data.cart.items.1.qty', message: expect.any(String) },
    ]);
    expect(issues(BatchItem, { anonymousId: 'anon-1', ...interaction({ n }) })).toEqual([{ path: 'data.n', message: expect.any(String) }]);
  });

  it.each(STORABLE)('accepts %d in attributes and data', (n) => {
    expect(issues(CreateCustomerInput, { email: 'a@b.co', attributes: { score: n } })).toEqual([]);
    expect(issues(InteractionInput, interaction({ deep: [{ n }] }))).toEqual([]);
  });

  it('property: a number is accepted exactly when it is within +/-(2^53-1) and is 0 or at least 1e-130 in magnitude', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        const storable = Math.abs(n) <= Number.MAX_SAFE_INTEGER && (n === 0 || Math.abs(n) >= 1e-130);
        expect(issues(InteractionInput, interaction({ n })).length === 0).toBe(storable);
      }),
      { numRuns: 500 },
    );
  });
});

describe('nesting and keys of interaction data', () => {
  it(`accepts data nested ${MAX_JSON_DEPTH} levels and refuses ${MAX_JSON_DEPTH + 1}, naming the path where it got too deep`, () => {
    expect(issues(InteractionInput, interaction(nested(MAX_JSON_DEPTH)))).toEqual([]);
    const tooDeep = issues(InteractionInput, interaction(nested(MAX_JSON_DEPTH + 1)));
    expect(tooDeep).toEqual([{ path: ['data', ...Array(MAX_JSON_DEPTH).fill('a')].join('.'), message: expect.stringContaining(`${MAX_JSON_DEPTH}`) }]);
  });

  it('counts arrays as levels too', () => {
    let value: unknown = 1;
    for (let i = 0; i < MAX_JSON_DEPTH; i++) value = [value];
    expect(issues(InteractionInput, interaction({ list: value }))[0]?.path).toBe(`data.list${'.0'.repeat(MAX_JSON_DEPTH - 1)}`);
  });

  it('refuses a 100,000-level body without overflowing the stack', () => {
    let value: unknown = 1;
    for (let i = 0; i < 100_000; i++) value = [value];
    const found = issues(InteractionInput, interaction({ list: value }));
    expect(found).toHaveLength(1);
    expect(found[0]!.path.startsWith('data.list.0.0')).toBe(true);
    expect(issues(BatchItem, { anonymousId: 'a', ...interaction({ list: value }) })).toHaveLength(1);
  });

  it.each([
    [{ '': 1 }, 'data'],
    [{ a: { b: [{ '': 'x' }] } }, 'data.a.b.0'],
  ])('refuses an empty key in %j at %s', (data, path) => {
    expect(issues(InteractionInput, interaction(data))).toEqual([{ path, message: 'must not have an empty key' }]);
  });
});

describe('jsonValueIssues', () => {
  it('reports every problem with its path, each one once', () => {
    expect(jsonValueIssues({ a: 1e21, b: [{ '': 1 }], c: 'ok', d: null, e: true })).toEqual([
      { path: ['a'], message: expect.any(String) },
      { path: ['b', 0], message: 'must not have an empty key' },
    ]);
  });

  it('stops after a handful of issues: a hostile body cannot make a huge answer', () => {
    expect(jsonValueIssues(Array.from({ length: 10_000 }, () => 1e300)).length).toBeLessThanOrEqual(10);
  });
});
