import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { CustomerCreated } from '../../events/customer-created.event.ts';
import { sourcesPattern } from '../../events/catalog.ts';
import { compilePattern, InvalidPatternError, matchesPattern, type Pattern } from '../../infra/local/event-pattern.ts';
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
  // EventBridge refuses a $or with one object, and an empty pattern: both moved to the refusals below.
  ['$or combined with another field', { source: ['crm.cases'], $or: [{ 'detail-type': ['OrderPlaced'] }, { 'detail-type': ['OrderShipped'] }] }, false],
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

describe('the audience scanner stream filter from the topology', () => {
  const filter = STREAM_CONSUMERS.find((c) => c.function === 'audienceScanner')!.filter as Pattern;
  const record = (eventName: string, item: Record<string, unknown>) => ({
    eventName,
    eventSource: 'aws:dynamodb',
    dynamodb: { Keys: marshall({ pk: item.pk, sk: item.sk }), NewImage: marshall(item), SequenceNumber: '1' },
  });
  const part = { pk: 'SCAN#snapshot-s1', sk: 'PART#000000', page: 0 };

  it('lets a scan part with pages left through, when started (INSERT) and after each page (MODIFY)', () => {
    expect(matchesPattern(filter, record('INSERT', { ...part, done: false }))).toBe(true);
    expect(matchesPattern(filter, record('MODIFY', { ...part, page: 3, done: false }))).toBe(true);
  });

  it('keeps out a finished part, its removal, and other items', () => {
    expect(matchesPattern(filter, record('MODIFY', { ...part, done: true }))).toBe(false);
    expect(matchesPattern(filter, record('REMOVE', { ...part, done: false }))).toBe(false);
    expect(matchesPattern(filter, record('INSERT', { pk: 'SEGMENT#s1', sk: 'SEGMENT', done: false }))).toBe(false);
    expect(matchesPattern(filter, record('INSERT', { pk: 'OUTBOX#ev-1', sk: 'EVENT' }))).toBe(false);
  });
});

// Cases taken from AWS's own matcher (aws/event-ruler: RulerTest, README) and from the EventBridge
// user guide (content filtering, arrays, null and empty values). Each row: pattern, event, match.
const EC2_EVENT = {
  version: '0',
  id: 'ddddd4-aaaa-7777-4444-345dd43cc333',
  'detail-type': 'EC2 Instance State-change Notification',
  source: 'aws.ec2',
  account: '012345679012',
  time: '2017-10-02T16:24:49Z',
  region: 'us-east-1',
  resources: ['arn:aws:ec2:us-east-1:012345679012:instance/i-000000aaaaaa00000'],
  detail: { 'c.count': 5, 'd.count': 3, 'x.limit': 301.8, 'source-ip': '10.0.0.33', 'instance-id': 'i-000000aaaaaa00000', state: 'running' },
};
const RFC_IMAGE = {
  Image: {
    Width: 800,
    Height: 600,
    Title: 'View from 15th Floor',
    Thumbnail: { Url: 'http://www.example.com/image/481989943', Height: 125, Width: 100 },
    Animated: false,
    IDs: [116, 943, 234, 38793],
  },
};
const EMPLOYEES = {
  employees: [
    [
      { firstName: 'John', lastName: 'Doe', ids: [1234, 1000, 9999] },
      { firstName: 'Anna', lastName: 'Smith' },
    ],
    [{ firstName: 'Peter', lastName: 'Jones', ids: [] }],
  ],
};
const ANYTHING_BUT_RULE = {
  a: [{ 'anything-but': ['dad0', 'dad1', 'dad2'] }],
  b: [{ 'anything-but': [111, 222, 333] }],
  c: [{ 'anything-but': 'zdd' }],
  d: [{ 'anything-but': 444 }],
  z: [{ numeric: ['>', 0, '<', 1] }],
  w: [{ 'anything-but': { prefix: 'zax' } }],
  n: [{ 'anything-but': { suffix: 'ing' } }],
  o: [{ 'anything-but': { 'equals-ignore-case': 'CamelCase' } }],
  p: [{ 'anything-but': { 'equals-ignore-case': ['CamelCase', 'AbC'] } }],
};
const abEvent = (over: Record<string, unknown>) => ({ a: 'child1', b: '444', c: 'child1', d: 123, w: 'xaz', z: 0.001, n: 'nomatch', o: 'nomatch', p: 'nomatch', ...over });
const AUTOSCALING = {
  source: 'aws.autoscaling',
  resources: [],
  detail: { eventVersion: '', responseElements: null },
};

const referenceCases: [string, Pattern, unknown, boolean][] = [
  // event-ruler RulerTest: rules from the README all match the README event
  ['ruler readme: exact detail-type, resources, one of two states', { 'detail-type': ['EC2 Instance State-change Notification'], resources: ['arn:aws:ec2:us-east-1:012345679012:instance/i-000000aaaaaa00000'], detail: { state: ['initializing', 'running'] } }, EC2_EVENT, true],
  ['ruler readme: prefix time + anything-but state', { time: [{ prefix: '2017-10-02' }], detail: { state: [{ 'anything-but': 'initializing' }] } }, EC2_EVENT, true],
  ['ruler readme: cidr + numeric ranges + numeric = 3.018e2', { detail: { 'source-ip': [{ cidr: '10.0.0.0/24' }], 'c.count': [{ numeric: ['>', 0, '<=', 5] }], 'd.count': [{ numeric: ['<', 10] }], 'x.limit': [{ numeric: ['=', 3.018e2] }] } }, EC2_EVENT, true],
  ['ruler readme: anything-but prefix', { detail: { state: [{ 'anything-but': { prefix: 'init' } }] } }, EC2_EVENT, true],
  ['ruler readme: prefix equals-ignore-case', { detail: { state: [{ prefix: { 'equals-ignore-case': 'RuNn' } }] } }, EC2_EVENT, true],
  ['ruler readme: suffix', { detail: { state: [{ suffix: 'ning' }] } }, EC2_EVENT, true],
  ['ruler readme: suffix equals-ignore-case', { detail: { state: [{ suffix: { 'equals-ignore-case': 'nInG' } }] } }, EC2_EVENT, true],
  ['ruler readme: cidr /8', { detail: { 'source-ip': [{ cidr: '10.0.0.0/8' }] } }, EC2_EVENT, true],
  ['ruler readme: cidr outside', { detail: { 'source-ip': [{ cidr: '10.0.1.0/24' }] } }, EC2_EVENT, false],
  ['ruler readme: wildcard', { source: [{ wildcard: 'aws.*2' }] }, EC2_EVENT, true],
  ['ruler readme: anything-but wildcard', { detail: { state: [{ 'anything-but': { wildcard: 'run*' } }] } }, EC2_EVENT, false],
  ['ruler readme: anything-but wildcard list', { detail: { state: [{ 'anything-but': { wildcard: ['*/bin/*.jar', '*/bin/*.class'] } }] } }, EC2_EVENT, true],
  // event-ruler RulerTest: field combinations on the RFC 7159 image
  ['ruler rfc: nested exact numbers', { Image: { Width: [800], Thumbnail: { Height: [125, 300] } } }, RFC_IMAGE, true],
  ['ruler rfc: nested prefix', { Image: { Thumbnail: { Url: [{ prefix: 'http' }] } } }, RFC_IMAGE, true],
  ['ruler rfc: prefix ignore case', { Image: { Title: [{ prefix: { 'equals-ignore-case': 'VIeW' } }] } }, RFC_IMAGE, true],
  ['ruler rfc: suffix ignore case', { Image: { Title: [{ suffix: { 'equals-ignore-case': 'LoOr' } }] } }, RFC_IMAGE, true],
  ['ruler rfc: all operators together', { Image: { Width: [{ numeric: ['<', 1000] }], Height: [{ numeric: ['<=', 600] }], Title: [{ 'anything-but': 'View from 15th Flood' }], Thumbnail: { Url: [{ prefix: 'http' }], Height: [{ numeric: ['>', 124, '<', 126] }], Width: [{ numeric: ['>=', 99.999, '<=', 100] }] }, Animated: [false] } }, RFC_IMAGE, true],
  ['ruler rfc: numeric < 800 on 800', { Image: { Width: [{ numeric: ['<', 800] }] } }, RFC_IMAGE, false],
  ['ruler rfc: numeric < 599 on 600', { Image: { Height: [{ numeric: ['<', 599] }] } }, RFC_IMAGE, false],
  ['ruler rfc: anything-but the value itself', { Image: { Title: [{ 'anything-but': 'View from 15th Floor' }] } }, RFC_IMAGE, false],
  ['ruler rfc: prefix https', { Image: { Thumbnail: { Url: [{ prefix: 'https' }] } } }, RFC_IMAGE, false],
  ['ruler rfc: open range misses 125', { Image: { Thumbnail: { Height: [{ numeric: ['>', 124, '<', 125] }] } } }, RFC_IMAGE, false],
  ['ruler rfc: range above 100', { Image: { Thumbnail: { Width: [{ numeric: ['>=', 100.00001, '<=', 1001] }] } } }, RFC_IMAGE, false],
  ['ruler rfc: true is not false', { Image: { Animated: [true] } }, RFC_IMAGE, false],
  ['ruler rfc: number array, any element', { Image: { IDs: [943] } }, RFC_IMAGE, true],
  // event-ruler RulerTest: arrays of arrays of objects, array-consistent
  ['ruler arrays: Anna in a nested array', { employees: { firstName: ['Anna'] } }, EMPLOYEES, true],
  ['ruler arrays: John with id 1000', { employees: { firstName: ['John'], ids: [1000] } }, EMPLOYEES, true],
  ['ruler arrays: Anna has no ids', { employees: { firstName: ['Anna'], ids: [{ exists: false }] } }, EMPLOYEES, true],
  ['ruler arrays: no Alice', { employees: { firstName: ['Alice'] } }, EMPLOYEES, false],
  ['ruler arrays: Anna and Jones are different elements', { employees: { firstName: ['Anna'], lastName: ['Jones'] } }, EMPLOYEES, false],
  ['ruler arrays: neither Alice nor Bob', { employees: { firstName: ['Alice'], lastName: ['Bob'] } }, EMPLOYEES, false],
  ['ruler arrays: missing field', { a: ['b'] }, EMPLOYEES, false],
  ['ruler arrays: objects are not leaves', { employees: ['b'] }, EMPLOYEES, false],
  ['ruler arrays: Anna has no id 1000', { employees: { firstName: ['Anna'], ids: [1000] } }, EMPLOYEES, false],
  ['ruler arrays: Anna has no ids to exist', { employees: { firstName: ['Anna'], ids: [{ exists: true }] } }, EMPLOYEES, false],
  ['ruler arrays: Peter\'s empty ids do not exist', { employees: { firstName: ['Peter'], ids: [{ exists: true }] } }, EMPLOYEES, false],
  ['ruler arrays: Peter\'s empty ids are absent', { employees: { firstName: ['Peter'], ids: [{ exists: false }] } }, EMPLOYEES, true],
  // event-ruler RulerTest: exists
  ['ruler exists: a present', { a: [{ exists: true }] }, { a: 1 }, true],
  ['ruler exists: b absent', { b: [{ exists: false }] }, { a: 1 }, true],
  ['ruler exists: x not present', { x: [{ exists: true }] }, { a: 1 }, false],
  ['ruler exists: b present', { b: [{ exists: false }] }, { b: 2 }, false],
  ['ruler exists: x present', { x: [{ exists: true }] }, { x: 'X' }, true],
  ['ruler exists: x not absent', { x: [{ exists: false }] }, { x: 'X' }, false],
  // event-ruler RulerTest: really simple rules
  ['ruler simple: number', { a: [1] }, { a: 1 }, true],
  ['ruler simple: string', { x: ['X'] }, { x: 'X' }, true],
  ['ruler simple: true is not 1', { a: [1] }, { x: true }, false],
  ['ruler simple: true is not "X"', { x: ['X'] }, { x: true }, false],
  // event-ruler RulerTest: anything-but (only the first event matches)
  ['ruler anything-but: every field passes', ANYTHING_BUT_RULE, abEvent({}), true],
  ['ruler anything-but: c is zdd', ANYTHING_BUT_RULE, abEvent({ a: 'dad789', b: 789, c: 'zdd' }), false],
  ['ruler anything-but: z out of range', ANYTHING_BUT_RULE, abEvent({ a: 'dad789', b: 789, z: 1.01 }), false],
  ['ruler anything-but: a is dad1', ANYTHING_BUT_RULE, abEvent({ a: 'dad1', b: 345 }), false],
  ['ruler anything-but: b is 111', ANYTHING_BUT_RULE, abEvent({ a: 'abc', b: 111 }), false],
  ['ruler anything-but: b is 333', ANYTHING_BUT_RULE, abEvent({ a: 'dad1', b: 333 }), false],
  ['ruler anything-but: d is 444', ANYTHING_BUT_RULE, abEvent({ a: 'abc', b: 0, d: 444, z: 0.999999 }), false],
  ['ruler anything-but: w starts with zax', ANYTHING_BUT_RULE, abEvent({ w: 'zaxonie' }), false],
  ['ruler anything-but: n ends with ing', ANYTHING_BUT_RULE, abEvent({ n: 'matching' }), false],
  ['ruler anything-but: o is camelcase', ANYTHING_BUT_RULE, abEvent({ o: 'camelcase' }), false],
  ['ruler anything-but: p is abc', ANYTHING_BUT_RULE, abEvent({ p: 'abc' }), false],
  // event-ruler RulerTest: equals-ignore-case
  ['ruler ignore-case: defx is not def', { a: [{ 'equals-ignore-case': 'aBc' }], b: [{ 'equals-ignore-case': 'Def' }], c: [{ 'equals-ignore-case': 'xyZ' }] }, { a: 'ABC', b: 'defx', c: 'xYz', d: 'rst' }, false],
  ['ruler ignore-case: b missing', { a: [{ 'equals-ignore-case': 'aBc' }], b: [{ 'equals-ignore-case': 'Def' }], c: [{ 'equals-ignore-case': 'xyZ' }] }, { a: 'ABC', c: 'xYz', d: 'rst' }, false],
  ['ruler ignore-case: b and c swapped', { a: [{ 'equals-ignore-case': 'aBc' }], b: [{ 'equals-ignore-case': 'Def' }], c: [{ 'equals-ignore-case': 'xyZ' }] }, { a: 'ABC', b: 'xYz', c: 'def', d: 'rst' }, false],
  ['ruler ignore-case: all match', { a: [{ 'equals-ignore-case': 'aBc' }], b: [{ 'equals-ignore-case': 'Def' }], c: [{ 'equals-ignore-case': 'xyZ' }] }, { a: 'ABC', b: 'def', c: 'xYz', d: 'rst' }, true],
  // event-ruler RulerTest: wildcard (only the last event matches)
  ['ruler wildcard: d*f vs deeeefx', { a: [{ wildcard: '*bc' }], b: [{ wildcard: 'd*f' }], c: [{ wildcard: 'xy*' }], d: [{ wildcard: 'xy*' }] }, { a: 'abcbc', b: 'deeeefx', c: 'xy', d: 'xyzzz' }, false],
  ['ruler wildcard: c missing', { a: [{ wildcard: '*bc' }], b: [{ wildcard: 'd*f' }], c: [{ wildcard: 'xy*' }], d: [{ wildcard: 'xy*' }] }, { a: 'abcbc', b: 'deeeef', d: 'xyzzz' }, false],
  ['ruler wildcard: b and c swapped', { a: [{ wildcard: '*bc' }], b: [{ wildcard: 'd*f' }], c: [{ wildcard: 'xy*' }], d: [{ wildcard: 'xy*' }] }, { a: 'abcbc', b: 'xy', c: 'deeeef', d: 'xyzzz' }, false],
  ['ruler wildcard: all match', { a: [{ wildcard: '*bc' }], b: [{ wildcard: 'd*f' }], c: [{ wildcard: 'xy*' }], d: [{ wildcard: 'xy*' }] }, { a: 'abcbc', b: 'deeeef', c: 'xy', d: 'xyzzz' }, true],
  ['ruler wildcard: escaped star is literal', { a: [{ wildcard: 'a\\*b' }] }, { a: 'a*b' }, true],
  ['ruler wildcard: escaped star does not glob', { a: [{ wildcard: 'a\\*b' }] }, { a: 'axxb' }, false],
  // event-ruler README: $or
  ['ruler $or: source and one of two', { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }] }, { source: 'aws.cloudwatch', namespace: 'AWS/ES' }, true],
  ['ruler $or: neither', { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization', 'ReadLatency'] }, { namespace: ['AWS/EC2', 'AWS/ES'] }] }, { source: 'aws.cloudwatch', namespace: 'AWS/S3' }, false],
  ['ruler $or: nested and/or', { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization'] }, { metricType: ['MetricType'], namespace: ['AWS/EC2'], $or: [{ metricId: [1234] }, { spaceId: [1000] }] }] }, { source: 'aws.cloudwatch', metricType: 'MetricType', namespace: 'AWS/EC2', spaceId: 1000 }, true],
  // EventBridge user guide: content filtering
  ['guide: exists false on a non-leaf c-count', { detail: { 'c-count': [{ exists: false }] } }, { detail: { state: ['initializing', 'running'], 'c-count': { c1: 100 } } }, true],
  ['guide: anything-but list of numbers', { detail: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] } }, { detail: { 'x-limit': 301.8 } }, true],
  ['guide: anything-but list of strings', { detail: { state: [{ 'anything-but': ['stopped', 'overloaded'] }] } }, { detail: { state: 'stopped' } }, false],
  ['guide: arrays intersect', { resources: ['arn:a', 'arn:b'] }, { resources: ['arn:x', 'arn:b'] }, true],
  ['guide: empty string matches ""', { detail: { eventVersion: [''] } }, AUTOSCALING, true],
  ['guide: null matches null', { detail: { responseElements: [null] } }, AUTOSCALING, true],
  ['guide: "" does not match null', { detail: { responseElements: [''] } }, AUTOSCALING, false],
  ['guide: null does not match ""', { detail: { eventVersion: [null] } }, AUTOSCALING, false],
  ['guide: IPv6 cidr', { detail: { ip: [{ cidr: '2001:db8::/32' }] } }, { detail: { ip: '2001:db8::1' } }, true],
  ['guide: IPv6 cidr outside', { detail: { ip: [{ cidr: '2001:db8::/32' }] } }, { detail: { ip: '2001:db9::1' } }, false],
  ['guide: numeric = matches 3.0e2 written as 300', { detail: { n: [{ numeric: ['=', 3.0e2] }] } }, { detail: { n: 300 } }, true],
  ['numeric: negative bounds', { n: [{ numeric: ['>=', -5e9, '<', -1] }] }, { n: -2.5 }, true],
  ['numeric: never matches a numeric string', { n: [{ numeric: ['>', 0] }] }, { n: '5' }, false],
  ['numeric: >= includes its bound', { n: [{ numeric: ['>=', 5, '<', 6] }] }, { n: 5 }, true],
  ['numeric: > excludes its bound', { n: [{ numeric: ['>', 5, '<=', 6] }] }, { n: 5 }, false],
  ['numeric: <= includes its top', { n: [{ numeric: ['>', 5, '<=', 6] }] }, { n: 6 }, true],
  ['numeric: six decimals apart', { n: [{ numeric: ['>', 0.000001] }] }, { n: 0.000002 }, true],
  ['numeric: beyond 1e9 (event-ruler compares any double)', { n: [{ numeric: ['>', 5e11] }] }, { n: 5.000001e11 }, true],
  ['numeric: any element of an array', { n: [{ numeric: ['<', 0] }] }, { n: [3, -1] }, true],
  ['numeric: never matches a boolean or null', { n: [{ numeric: ['>', -1] }] }, { n: [true, null] }, false],
  ['exact number matches the same number written differently', { n: [300] }, { n: 3.0e2 }, true],
  ['exact number is not its string', { n: [300] }, { n: '300' }, false],
  ['exact IP matches the same address written differently', { ip: ['2001:db8::1'] }, { ip: '2001:0db8:0:0:0:0:0:1' }, true],
  // The four differences issue 9 found, and their neighbours
  ['arrays of arrays are flattened', { a: ['x'] }, { a: [['x']] }, true],
  ['deeply nested arrays are flattened', { a: [{ prefix: 'x' }] }, { a: [[], [['y', ['xz']]]] }, true],
  ['anything-but a list of prefixes: one listed prefix', { a: [{ 'anything-but': { prefix: ['$', '%'] } }] }, { a: '%abc' }, false],
  ['anything-but a list of prefixes: none listed', { a: [{ 'anything-but': { prefix: ['$', '%'] } }] }, { a: 'abc' }, true],
  ['anything-but a list of prefixes: the joined string is not special', { a: [{ 'anything-but': { prefix: ['$', '%'] } }] }, { a: '$,%' }, false],
  ['anything-but a list of suffixes', { a: [{ 'anything-but': { suffix: ['.png', '.jpg'] } }] }, { a: 'x.jpg' }, false],
  ['exists false under a missing object', { a: { b: [{ exists: false }] } }, { c: 1 }, true],
  ['exists false under a leaf', { a: { b: [{ exists: false }] } }, { a: 'text' }, true],
  ['exists true under a missing object', { a: { b: [{ exists: true }] } }, { c: 1 }, false],
  ['exists true on an empty array', { a: [{ exists: true }] }, { a: [] }, false],
  ['exists false on an empty array', { a: [{ exists: false }] }, { a: [] }, true],
  ['exists true on an array of empty arrays', { a: [{ exists: true }] }, { a: [[], []] }, false],
  ['exists true on null (a leaf)', { a: [{ exists: true }] }, { a: null }, true],
  ['anything-but on an array: one element not excluded', { a: [{ 'anything-but': 'x' }] }, { a: ['x', 'y'] }, true],
  ['anything-but on an empty array', { a: [{ 'anything-but': 'x' }] }, { a: [] }, false],
];

describe('matchesPattern agrees with event-ruler and the EventBridge user guide', () => {
  it.each(referenceCases)('%s', (_, pattern, event, expected) => {
    expect(matchesPattern(pattern, event)).toBe(expected);
  });
});

// Patterns EventBridge refuses (PutRule: InvalidEventPatternException); refused locally when the
// rule is declared, with the path in the message.
const refused: [string, unknown, RegExp][] = [
  ['an empty pattern', {}, /empty objects/],
  ['an empty object inside', { detail: {} }, /"detail": empty objects/],
  ['a leaf that is not an array', { source: 'crm' }, /arrays or objects/],
  ['an empty array', { source: [] }, /empty arrays/],
  ['an unknown operator', { a: [{ regex: '.*' }] }, /Unsupported operator "regex"/],
  ['two keys in one matcher', { a: [{ prefix: 'a', suffix: 'b' }] }, /only one key/],
  ['a non-string prefix', { a: [{ prefix: 1 }] }, /prefix match pattern must be a string/],
  ['prefix with an unknown option', { a: [{ prefix: { 'ignore-case': 'a' } }] }, /unsupported prefix pattern/],
  ['exists that is not a boolean', { a: [{ exists: 'yes' }] }, /true or false/],
  ['anything-but mixing strings and numbers', { a: [{ 'anything-but': ['a', 1] }] }, /only strings or only numbers/],
  ['anything-but an empty list', { a: [{ 'anything-but': [] }] }, /non-empty list/],
  ['anything-but null', { a: [{ 'anything-but': null }] }, /anything-but takes/],
  ['anything-but an empty prefix', { a: [{ 'anything-but': { prefix: '' } }] }, /empty prefix/],
  ['anything-but an unknown form', { a: [{ 'anything-but': { numeric: ['>', 1] } }] }, /unsupported anything-but pattern/],
  ['anything-but a numeric equals-ignore-case', { a: [{ 'anything-but': { 'equals-ignore-case': [1] } }] }, /list of strings/],
  ['numeric with an unknown operator', { a: [{ numeric: ['!=', 1] }] }, /unrecognized numeric operator/],
  ['numeric with a string bound', { a: [{ numeric: ['>', '1'] }] }, /must be a number/],
  ['numeric = followed by more', { a: [{ numeric: ['=', 1, '<', 2] }] }, /too many elements/],
  ['numeric < followed by more', { a: [{ numeric: ['<', 1, '>', 0] }] }, /too many elements/],
  ['numeric range upside down', { a: [{ numeric: ['>', 5, '<', 1] }] }, /less than its top/],
  ['numeric range with a bad top operator', { a: [{ numeric: ['>', 0, '>', 5] }] }, /bad numeric range operator/],
  ['numeric range with too many terms', { a: [{ numeric: ['>', 0, '<', 5, '<', 6] }] }, /too many terms/],
  ['wildcard with consecutive stars', { a: [{ wildcard: 'a**b' }] }, /consecutive wildcard/],
  ['wildcard escaping a letter', { a: [{ wildcard: 'a\\b' }] }, /backslash/],
  ['a malformed cidr', { a: [{ cidr: '10.0.0.0/33' }] }, /not a CIDR block/],
  ['a cidr that is no address', { a: [{ cidr: 'banana/8' }] }, /not a CIDR block/],
  ['$or that is not an array', { $or: { a: ['x'] } }, /\$or must be an array/],
  ['$or with one object', { $or: [{ a: ['x'] }] }, /at least two/],
  ['$or with a non-object', { $or: [{ a: ['x'] }, ['b']] }, /only objects/],
  ['a reserved word as a field inside $or', { $or: [{ numeric: [1] }, { prefix: ['a'] }] }, /reserved word/],
];

describe('compilePattern refuses what EventBridge refuses', () => {
  it.each(refused)('%s', (_, pattern, message) => {
    expect(() => compilePattern(pattern)).toThrow(InvalidPatternError);
    expect(() => compilePattern(pattern)).toThrow(message);
  });

  it('every rule and stream filter of the topology compiles', async () => {
    const { RULES } = await import('../../infra/topology.ts');
    for (const rule of RULES) expect(() => compilePattern(rule.pattern), rule.name).not.toThrow();
    for (const consumer of STREAM_CONSUMERS) expect(() => compilePattern(consumer.filter), consumer.function).not.toThrow();
  });
});
