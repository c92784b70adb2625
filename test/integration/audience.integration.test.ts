import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AudienceSink, MemberPage, ScanRun } from '../../domain/campaigns/campaign.ports.ts';
import { createSegment, SegmentNotFoundError } from '../../domain/campaigns/segment.ts';
import type { Rule } from '../../domain/campaigns/segment.schema.ts';
import { ruleNeeds } from '../../domain/campaigns/segment-rule.ts';
import { createCustomer } from '../../domain/customers/customer.ts';
import { withInteraction } from '../../domain/customers/stats.ts';
import { audienceFor, runIdOf } from '../../functions/campaigns/audience.dynamodb.ts';
import { scanPartKey, snapshotKey, snapshotPageKey, toSegmentItem } from '../../functions/campaigns/campaign.keys.ts';
import { customerFactsReader } from '../../functions/campaigns/customer-facts.ts';
import { dynamoSegmentRepository } from '../../functions/campaigns/segment.dynamodb-repository.ts';
import { snapshotSink } from '../../functions/campaigns/snapshot-sink.ts';
import { stateKey } from '../../functions/consent/consent.dynamodb-repository.ts';
import { toProfileItem } from '../../functions/customers/customer.keys.ts';
import { freshTable } from '../support/dynamodb.ts';
import { fakeClock, sequentialIds } from '../support/fakes.ts';

// The audience on DynamoDB Local: facts read for one customer, the durable scan page by page
// (driven here by calling step as the stream would), a crash in the middle resumed at its page,
// and the snapshot sink counting each page once however often it comes.

let table: Awaited<ReturnType<typeof freshTable>>;
const clock = fakeClock('2025-06-30T12:00:00.000Z');
let db: { client: typeof table.client; tableName: string; clock: typeof clock; ids: ReturnType<typeof sequentialIds> };
const CUSTOMERS = 11;
const vip = (i: number) => i % 3 === 0;

async function put(item: Record<string, unknown>) {
  await table.client.send(new PutCommand({ TableName: table.tableName, Item: item }));
}

async function segmentWith(id: string, rule: Rule) {
  await put(toSegmentItem(createSegment({ name: id, rule }, id, clock.now())));
}

/** Runs a scan the way the stream does: one step per part with pages left, until none has. */
async function drive(scanner: ReturnType<typeof audienceFor>, run: ScanRun, sinks: Record<ScanRun['purpose'], AudienceSink>) {
  for (let rounds = 0; rounds < 100; rounds++) {
    let pending = false;
    for (let part = 0; part < run.parts; part++) {
      const { Item } = await table.client.send(new GetCommand({ TableName: table.tableName, Key: scanPartKey(run.runId, part), ConsistentRead: true }));
      if (Item && Item.done !== true) {
        pending = true;
        await scanner.step(run.runId, part, sinks);
      }
    }
    if (!pending) return;
  }
  throw new Error('the scan did not finish');
}

const noCampaigns: AudienceSink = {
  accept: async () => {
    throw new Error('not in this test');
  },
};

beforeAll(async () => {
  table = await freshTable();
  db = { client: table.client, tableName: table.tableName, clock, ids: sequentialIds('x') };
  for (let i = 0; i < CUSTOMERS; i++) {
    const { customer } = createCustomer({ email: `c${i}@example.com`, tags: vip(i) ? ['vip'] : [], attributes: { n: i } }, `c-${String(i).padStart(2, '0')}`, clock.now());
    const stats = i === 1 ? withInteraction(customer.stats, { type: 'call', channel: 'phone', occurredAt: clock.now().toISOString(), value: null }) : customer.stats;
    await put(toProfileItem({ ...customer, stats }));
  }
  // Not members: a merged-away tombstone and a profile being erased, both tagged vip.
  const merged = createCustomer({ email: 'merged@example.com', tags: ['vip'] }, 'c-merged', clock.now()).customer;
  await put({ ...toProfileItem(merged), mergedInto: 'c-00' });
  const erasing = createCustomer({ email: 'erasing@example.com', tags: ['vip'] }, 'c-erasing', clock.now()).customer;
  await put({ ...toProfileItem(erasing), erasingSince: clock.now().toISOString() });
  await put({ ...stateKey('c-01', 'news'), type: 'ConsentState', state: 'subscribed', updatedAt: clock.now().toISOString() });
  await put({ pk: 'CASE#k1', sk: 'CASE', gsi5pk: 'CASES_OF#c-02', gsi5sk: 'a#k1', data: { status: 'open', priority: 'urgent', sla: { breaches: [] } } });
  await put({ pk: 'CASE#k2', sk: 'CASE', gsi5pk: 'CASES_OF#c-02', gsi5sk: 'b#k2', data: { status: 'solved', priority: 'low', sla: { breaches: [{ at: '2025-06-20T00:00:00.000Z' }] } } });
});
afterAll(async () => {
  await table?.drop();
});

describe('customer facts', () => {
  const facts = () => customerFactsReader(db);

  it('reads the profile, only the named consent topics, and case counts only when the rule asks', async () => {
    const rule: Rule = { all: [{ field: 'consent.news', op: 'eq', value: 'subscribed' }, { field: 'cases.open', op: 'gte', value: 0 }] };
    const one = await facts().forCustomer('c-01', ruleNeeds(rule), clock.now());
    expect(one).toMatchObject({ profile: { id: 'c-01' }, consent: { news: 'subscribed' }, cases: { open: 0, openUrgent: 0, breachedLast30Days: 0 } });
    expect(one!.profile.stats.byChannel).toEqual({ phone: 1 });
    const withCases = await facts().forCustomer('c-02', { consentTopics: [], cases: true, scores: false }, clock.now());
    expect(withCases!.cases).toEqual({ open: 1, openUrgent: 1, breachedLast30Days: 1 });
    const without = await facts().forCustomer('c-02', { consentTopics: [], cases: false, scores: false }, clock.now());
    expect(without).not.toHaveProperty('cases');
    expect(without!.consent).toEqual({});
  });

  it('reads the scores with the profile only when the rule names scores.*; a customer without scores has none', async () => {
    const scores = { customerId: 'c-03', pAlive: 0.9, churnRisk: 0.1, clv: { months12: 50, discountRate: 0.01 }, rfm: { r: 5, f: 1, m: 2, score: '512', label: 'new' }, cluster: 1 };
    await put({ pk: 'CUSTOMER#c-03', sk: 'SCORES', data: scores });
    const needs = ruleNeeds({ field: 'scores.rfm.label', op: 'eq', value: 'new' });
    expect((await facts().forCustomer('c-03', needs, clock.now()))!.scores).toMatchObject({ pAlive: 0.9, rfm: { label: 'new' }, cluster: 1 });
    expect(await facts().forCustomer('c-03', { consentTopics: [], cases: false, scores: false }, clock.now())).not.toHaveProperty('scores');
    expect(await facts().forCustomer('c-04', needs, clock.now())).not.toHaveProperty('scores');
    expect(await facts().forCustomer('c-merged', needs, clock.now())).toBeUndefined();
    const page = await facts().forProfiles([toProfileItem(createCustomer({ email: 'c3@example.com' }, 'c-03', clock.now()).customer), toProfileItem(createCustomer({ email: 'c4@example.com' }, 'c-04', clock.now()).customer)], needs, clock.now());
    expect(page.map((f) => f.scores?.cluster)).toEqual([1, undefined]);
  });

  it('has no facts for a customer who is not there, merged away, or being erased', async () => {
    for (const id of ['nobody', 'c-merged', 'c-erasing']) expect(await facts().forCustomer(id, { consentTopics: [], cases: false, scores: false }, clock.now())).toBeUndefined();
  });
});

describe('Audience.includes', () => {
  it('evaluates one customer against the segment rule now; an unknown segment is SegmentNotFoundError', async () => {
    await segmentWith('seg-news', { field: 'consent.news', op: 'eq', value: 'subscribed' });
    const audience = audienceFor(db);
    expect(await audience.includes('seg-news', 'c-01')).toBe(true);
    expect(await audience.includes('seg-news', 'c-02')).toBe(false);
    expect(await audience.includes('seg-news', 'c-merged')).toBe(false);
    await expect(audience.includes('seg-none', 'c-01')).rejects.toBeInstanceOf(SegmentNotFoundError);
  });
});

describe('the durable scan and the snapshot sink', () => {
  const vips = Array.from({ length: CUSTOMERS }, (_, i) => i)
    .filter(vip)
    .map((i) => `c-${String(i).padStart(2, '0')}`);

  async function snapshotRun(segmentId: string, snapshotId: string, parts: number) {
    await dynamoSegmentRepository(db).createSnapshot({ id: snapshotId, segmentId, status: 'building', count: 0, createdAt: clock.now().toISOString(), completedAt: null }, { correlationId: 't' });
    const scanner = audienceFor(db, { parts, pageSize: 2 });
    const run = await scanner.startScan({ purpose: 'snapshot', segmentId, targetId: snapshotId }, { correlationId: 't' });
    return { scanner, run };
  }

  async function allMembers(snapshotId: string) {
    const members: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await dynamoSegmentRepository(db).snapshotMembers(snapshotId, { limit: 3, ...(cursor ? { cursor } : {}) });
      members.push(...page.items.map((m) => m.customerId));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    return members;
  }

  it('scans every part page by page (several pages each) into a ready snapshot with exactly the members the preview counts', async () => {
    await segmentWith('seg-vip', { field: 'tags', op: 'contains', value: 'vip' });
    const { scanner, run } = await snapshotRun('seg-vip', 'snap-1', 3);
    expect(run).toEqual({ runId: runIdOf('snapshot', 'snap-1'), purpose: 'snapshot', segmentId: 'seg-vip', targetId: 'snap-1', parts: 3 });
    const pages: MemberPage[] = [];
    const sink = snapshotSink(db);
    await drive(scanner, run, { snapshot: { accept: async (r, p, c) => (pages.push(p), sink.accept(r, p, c)) }, campaign: noCampaigns });

    expect(pages.filter((p) => p.last).map((p) => p.part).sort()).toEqual([0, 1, 2]);
    expect(Math.max(...pages.map((p) => p.page))).toBeGreaterThan(0);
    const snapshot = await dynamoSegmentRepository(db).getSnapshot('seg-vip', 'snap-1');
    expect(snapshot).toMatchObject({ status: 'ready', count: vips.length, completedAt: clock.now().toISOString() });
    expect((await allMembers('snap-1')).sort()).toEqual(vips);
    const preview = await audienceFor(db, { parts: 2, pageSize: 3 }).scans.preview({ field: 'tags', op: 'contains', value: 'vip' }, 100);
    expect(preview.count).toBe(vips.length);
    expect(preview.sample.map((s) => s.id).sort()).toEqual(vips);
  });

  it('a crash in the middle of a part resumes at the page it was on: no member twice, none lost', async () => {
    await segmentWith('seg-all', { field: 'attributes.n', op: 'gte', value: 0 });
    const { scanner, run } = await snapshotRun('seg-all', 'snap-crash', 2);
    const sink = snapshotSink(db);
    let crashed = false;
    const crashing: AudienceSink = {
      async accept(r, p, c) {
        await sink.accept(r, p, c);
        // The page is kept, then the function dies before the part moves on.
        if (!crashed && p.part === 0 && p.page === 1) {
          crashed = true;
          throw new Error('crash');
        }
      },
    };
    await expect(drive(scanner, run, { snapshot: crashing, campaign: noCampaigns })).rejects.toThrow('crash');
    const { Item } = await table.client.send(new GetCommand({ TableName: table.tableName, Key: scanPartKey(run.runId, 0), ConsistentRead: true }));
    expect(Item).toMatchObject({ page: 1, done: false });
    await drive(scanner, run, { snapshot: crashing, campaign: noCampaigns });
    const members = await allMembers('snap-crash');
    expect(members).toHaveLength(CUSTOMERS);
    expect(new Set(members).size).toBe(CUSTOMERS);
    expect(await dynamoSegmentRepository(db).getSnapshot('seg-all', 'snap-crash')).toMatchObject({ status: 'ready', count: CUSTOMERS });
  });

  it('a retried start creates nothing twice, keeps the progress of its parts, and touches only the parts not done (a stalled one resumes)', async () => {
    const { scanner, run } = await snapshotRun('seg-vip', 'snap-retry', 2);
    const sinks = { snapshot: snapshotSink(db), campaign: noCampaigns };
    while ((await table.client.send(new GetCommand({ TableName: table.tableName, Key: scanPartKey(run.runId, 1), ConsistentRead: true }))).Item!.done !== true) {
      await scanner.step(run.runId, 1, sinks);
    }
    await scanner.step(run.runId, 0, sinks);
    clock.advance(60_000);
    // Started with another parts setting: the run keeps the parts it has.
    const again = await audienceFor(db, { parts: 5, pageSize: 2 }).startScan({ purpose: 'snapshot', segmentId: 'seg-vip', targetId: 'snap-retry' }, { correlationId: 't' });
    expect(again).toEqual(run);
    const part = async (n: number) => (await table.client.send(new GetCommand({ TableName: table.tableName, Key: scanPartKey(run.runId, n), ConsistentRead: true }))).Item!;
    expect(await part(0)).toMatchObject({ page: 1, done: false, nudgedAt: clock.now().toISOString() });
    expect(await part(1)).not.toHaveProperty('nudgedAt');
    expect((await table.client.send(new GetCommand({ TableName: table.tableName, Key: scanPartKey(run.runId, 2) }))).Item).toBeUndefined();
    await drive(scanner, run, sinks);
    expect(await dynamoSegmentRepository(db).getSnapshot('seg-vip', 'snap-retry')).toMatchObject({ status: 'ready', count: vips.length });
  });

  it('the snapshot sink is idempotent per (part, page): the same page again adds nothing', async () => {
    await dynamoSegmentRepository(db).createSnapshot({ id: 'snap-idem', segmentId: 'seg-vip', status: 'building', count: 0, createdAt: clock.now().toISOString(), completedAt: null }, { correlationId: 't' });
    const run: ScanRun = { runId: 'r', purpose: 'snapshot', segmentId: 'seg-vip', targetId: 'snap-idem', parts: 1 };
    const sink = snapshotSink(db);
    const page: MemberPage = { part: 0, page: 0, customerIds: ['c-00', 'c-03'], last: true };
    await sink.accept(run, page, { correlationId: 't' });
    await sink.accept(run, page, { correlationId: 't' });
    expect(await dynamoSegmentRepository(db).getSnapshot('seg-vip', 'snap-idem')).toMatchObject({ status: 'ready', count: 2 });
    const { Item } = await table.client.send(new GetCommand({ TableName: table.tableName, Key: snapshotPageKey('snap-idem', 0, 0) }));
    expect(Item!.customerIds).toEqual(['c-00', 'c-03']);
  });

  it('a snapshot and its member pages expire 30 days after it was taken (table TTL): erasure does not visit them', async () => {
    const takenAt = clock.now().toISOString();
    await dynamoSegmentRepository(db).createSnapshot({ id: 'snap-ttl', segmentId: 'seg-vip', status: 'building', count: 0, createdAt: takenAt, completedAt: null }, { correlationId: 't' });
    const run: ScanRun = { runId: 'r-ttl', purpose: 'snapshot', segmentId: 'seg-vip', targetId: 'snap-ttl', parts: 1 };
    await snapshotSink(db).accept(run, { part: 0, page: 0, customerIds: ['c-00'], last: true }, { correlationId: 't' });
    const thirtyDays = Math.floor(Date.parse(takenAt) / 1000) + 30 * 24 * 3600;
    const get = async (Key: Record<string, string>) => (await table.client.send(new GetCommand({ TableName: table.tableName, Key }))).Item!;
    expect(Math.abs(Number((await get(snapshotKey('seg-vip', 'snap-ttl'))).expiresAt) - thirtyDays)).toBeLessThanOrEqual(1);
    expect(Math.abs(Number((await get(snapshotPageKey('snap-ttl', 0, 0))).expiresAt) - thirtyDays)).toBeLessThanOrEqual(1);
  });
});
