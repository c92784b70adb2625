import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { CustomerCreated } from '../../events/customer-created.event.ts';
import { sourcesPattern } from '../../events/catalog.ts';
import { matchesPattern, type Pattern } from '../../infra/local/event-pattern.ts';
import { STREAM_CONSUMERS } from '../../infra/topology.ts';

const order = {
  source: 'crm.orders',
  'detail-type': 'OrderPlaced',
  detail: {
    orderId: 'ord-17',
    status: 'PAID',
    total: 120.5,
    items: 3,
    channel: 'web-shop',
    customer: { id: 'c-1', tier: 'gold', address: { country: 'DE' } },
    tags: ['vip', 'newsletter'],
    lines: [
      { sku: 'A-1', qty: 2 },
      { sku: 'B-7', qty: 1 },
    ],
    coupon: null,
  },
};

const cases: [string, Pattern, boolean][] = [
  ['exact value', { source: ['crm.orders'] }, true],
  ['exact value, one of several', { source: ['crm.cases', 'crm.orders'] }, true],
  ['exact value mismatch', { source: ['crm.cases'] }, false],
  ['exact match is case-sensitive', { detail: { status: ['paid'] } }, false],
  ['exact number', { detail: { items: [3] } }, true],
  ['number does not equal its string', { detail: { items: ['3'] } }, false],
  ['null matches null', { detail: { coupon: [null] } }, true],
  ['prefix', { detail: { channel: [{ prefix: 'web-' }] } }, true],
  ['prefix mismatch', { detail: { channel: [{ prefix: 'shop' }] } }, false],
  ['prefix equals-ignore-case', { detail: { channel: [{ prefix: { 'equals-ignore-case': 'WEB' } }] } }, true],
  ['suffix', { detail: { channel: [{ suffix: '-shop' }] } }, true],
  ['suffix mismatch', { detail: { channel: [{ suffix: 'web' }] } }, false],
  ['suffix equals-ignore-case', { detail: { channel: [{ suffix: { 'equals-ignore-case': '-SHOP' } }] } }, true],
  ['equals-ignore-case', { detail: { status: [{ 'equals-ignore-case': 'paid' }] } }, true],
  ['equals-ignore-case mismatch', { detail: { status: [{ 'equals-ignore-case': 'open' }] } }, false],
  ['anything-but a value (other value)', { detail: { status: [{ 'anything-but': 'OPEN' }] } }, true],
  ['anything-but a value (that value)', { detail: { status: [{ 'anything-but': 'PAID' }] } }, false],
  ['anything-but a list (not listed)', { detail: { status: [{ 'anything-but': ['OPEN', 'VOID'] }] } }, true],
  ['anything-but a list (listed)', { detail: { status: [{ 'anything-but': ['OPEN', 'PAID'] }] } }, false],
  ['anything-but a number', { detail: { items: [{ 'anything-but': [1, 2] }] } }, true],
  ['anything-but a prefix (other prefix)', { detail: { channel: [{ 'anything-but': { prefix: 'app-' } }] } }, true],
  ['anything-but a prefix (that prefix)', { detail: { channel: [{ 'anything-but': { prefix: 'web' } }] } }, false],
  ['anything-but a suffix', { detail: { channel: [{ 'anything-but': { suffix: '-shop' } }] } }, false],
  ['anything-but never matches a missing field', { detail: { refund: [{ 'anything-but': 'x' }] } }, false],
  ['numeric range inside', { detail: { total: [{ numeric: ['>', 100, '<=', 120.5] }] } }, true],
  ['numeric range outside', { detail: { total: [{ numeric: ['>', 100, '<', 120.5] }] } }, false],
  ['numeric equality', { detail: { items: [{ numeric: ['=', 3] }] } }, true],
  ['numeric >= bound', { detail: { items: [{ numeric: ['>=', 3] }] } }, true],
  ['numeric on a string never matches', { detail: { status: [{ numeric: ['>', 0] }] } }, false],
  ['exists true on a present field', { detail: { orderId: [{ exists: true }] } }, true],
  ['exists true on a missing field', { detail: { refundId: [{ exists: true }] } }, false],
  ['exists false on a missing field', { detail: { refundId: [{ exists: false }] } }, true],
  ['exists false on a present field', { detail: { orderId: [{ exists: false }] } }, false],
  ['nested objects', { detail: { customer: { address: { country: ['DE'] } } } }, true],
  ['nested objects mismatch', { detail: { customer: { address: { country: ['FR'] } } } }, false],
  ['nested pattern on a missing object', { detail: { shipment: { carrier: ['DHL'] } } }, false],
  ['all fields must match', { source: ['crm.orders'], detail: { status: ['OPEN'] } }, false],
  ['event array matches when any element matches', { detail: { tags: ['newsletter'] } }, true],
  ['event array matches none', { detail: { tags: ['churned'] } }, false],
  ['prefix against an event array', { detail: { tags: [{ prefix: 'news' }] } }, true],
  ['array of objects: any element', { detail: { lines: { sku: ['B-7'] } } }, true],
  ['array of objects: no element matches', { detail: { lines: { sku: ['C-9'] } } }, false],
  ['$or: one branch matches', { detail: { $or: [{ status: ['OPEN'] }, { items: [{ numeric: ['>', 2] }] }] } }, true],
  ['$or: no branch matches', { detail: { $or: [{ status: ['OPEN'] }, { items: [{ numeric: ['>', 5] }] }] } }, false],
  ['$or combined with another field', { source: ['crm.cases'], $or: [{ 'detail-type': ['OrderPlaced'] }] }, false],
  ['empty pattern matches everything', {}, true],
];

describe('matchesPattern (EventBridge semantics)', () => {
  it.each(cases)('%s', (_, pattern, expected) => {
    expect(matchesPattern(pattern, order)).toBe(expected);
  });

  it('rejects a pattern whose leaf is not an array', () => {
    expect(() => matchesPattern({ source: 'crm.orders' }, order)).toThrow(/arrays or objects/);
  });

  it('rejects an operator it does not know instead of silently not matching', () => {
    expect(() => matchesPattern({ source: [{ regex: '.*' }] }, order)).toThrow(/Unsupported/);
  });

  it('matches catalog patterns against the events they describe', () => {
    const event = { source: CustomerCreated.source, 'detail-type': CustomerCreated.detailType, detail: {} };
    expect(matchesPattern(CustomerCreated.pattern, event)).toBe(true);
    expect(matchesPattern(sourcesPattern(), event)).toBe(true);
    expect(matchesPattern(CustomerCreated.pattern, { ...event, 'detail-type': 'CustomerDeleted' })).toBe(false);
  });
});

describe('the outbox stream filter from the topology', () => {
  const filter = STREAM_CONSUMERS.find((c) => c.function === 'outboxPublisher')!.filter as Pattern;
  const record = (eventName: string, item: Record<string, unknown>) => ({
    eventName,
    eventSource: 'aws:dynamodb',
    dynamodb: { Keys: marshall({ pk: item.pk, sk: item.sk }), NewImage: marshall(item), SequenceNumber: '1' },
  });

  it('lets an OUTBOX# INSERT through', () => {
    expect(matchesPattern(filter, record('INSERT', { pk: 'OUTBOX#ev-1', sk: 'EVENT', detailType: 'CustomerCreated' }))).toBe(true);
  });

  it('keeps out a CUSTOMER# insert', () => {
    expect(matchesPattern(filter, record('INSERT', { pk: 'CUSTOMER#c-1', sk: 'PROFILE' }))).toBe(false);
  });

  it('keeps out a MODIFY or REMOVE of an outbox record', () => {
    expect(matchesPattern(filter, record('MODIFY', { pk: 'OUTBOX#ev-1', sk: 'EVENT' }))).toBe(false);
    expect(matchesPattern(filter, record('REMOVE', { pk: 'OUTBOX#ev-1', sk: 'EVENT' }))).toBe(false);
  });
});
