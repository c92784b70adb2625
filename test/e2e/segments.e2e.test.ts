import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Campaign } from '../../domain/campaigns/campaign.schema.ts';
import { toCampaignItem } from '../../functions/campaigns/campaign.keys.ts';
import { createTableClient } from '../../functions/shared/table-client.ts';
import { LOCAL_AWS } from '../../infra/local/dynamodb-local.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

// Segments through the local runtime: CRUD, rules refused with the field and operator named,
// previews counted now, and snapshots built by the durable scan (the table stream and the
// audienceScanner) until ready, with the members the preview counts.

let t: TestRuntime;
const ids: Record<string, string> = {};
const as = { role: 'marketer' as const };

async function customer(key: string, body: Record<string, unknown>, interactions: Record<string, unknown>[] = []) {
  const res = await t.call('POST', '/customers', { body });
  expect(res.status, res.text).toBe(201);
  ids[key] = res.json.id;
  for (const interaction of interactions) {
    expect((await t.call('POST', `/customers/${res.json.id}/interactions`, { body: interaction })).status).toBe(201);
  }
  return res.json;
}

const segment = async (rule: unknown, name = 'S') => {
  const res = await t.call('POST', '/segments', { ...as, body: { name, rule } });
  expect(res.status, res.text).toBe(201);
  return res.json;
};
const previewOf = async (rule: unknown) => {
  const s = await segment(rule);
  const res = await t.call('GET', `/segments/${s.id}/preview?limit=100`, as);
  expect(res.status, res.text).toBe(200);
  return { count: res.json.count as number, ids: (res.json.sample as { id: string }[]).map((c) => c.id).sort() };
};
const idsOf = (...keys: string[]) => keys.map((k) => ids[k]!).sort();

beforeAll(async () => {
  t = await startTestRuntime();
  expect((await t.call('PUT', '/topics', { role: 'admin', body: [{ id: 'news', name: 'News', purpose: 'marketing' }] })).status).toBe(200);
  await customer('ada', { email: 'ada@example.com', firstName: 'Ada', locale: 'en-GB', tags: ['vip'], attributes: { plan: 'gold', score: 90 } }, [
    { channel: 'web', type: 'page_view' },
    { channel: 'web', type: 'page_view' },
    { channel: 'email', type: 'email_open' },
  ]);
  await customer('bob', { email: 'bob@example.com', locale: 'de-DE', attributes: { plan: 'silver', score: 40 } }, [{ channel: 'phone', type: 'call' }]);
  await customer('cy', { email: 'cy@example.com', locale: 'fr-FR', attributes: { country: 'de' }, tags: ['vip', 'beta'] });
  const eve = await customer('eve', { email: 'eve@example.com', tags: ['vip'] });
  expect((await t.call('POST', `/customers/${ids.ada}/consents`, { role: 'admin', body: { topic: 'news', action: 'grant', legalBasis: 'consent', proof: 'signup form' } })).status).toBeLessThan(300);
  expect((await t.call('POST', `/customers/${ids.cy}/consents`, { role: 'admin', body: { topic: 'news', action: 'request' } })).status).toBe(202);
  const urgent = await t.call('POST', '/cases', { body: { customerId: ids.bob, subject: 'Broken', channel: 'phone', priority: 'urgent' } });
  expect(urgent.status, urgent.text).toBe(201);
  // Erased customers are never members.
  expect((await t.call('DELETE', `/customers/${eve.id}`, { role: 'admin', headers: { 'if-match': `"${eve.version}"` } })).status).toBe(204);
  await t.runtime.idle();
});
afterAll(async () => {
  await t?.runtime.stop();
});

describe('segment CRUD', () => {
  it('creates (201, Location, ETag), reads, lists newest first in pages, and replays an Idempotency-Key', async () => {
    const body = { name: 'VIPs', description: 'tagged vip', rule: { field: 'tags', op: 'contains', value: 'vip' } };
    const created = await t.call('POST', '/segments', { ...as, body, headers: { 'idempotency-key': 'vip-once' } });
    expect(created.status, created.text).toBe(201);
    expect(created.headers.get('location')).toBe(`/segments/${created.json.id}`);
    expect(created.headers.get('etag')).toBe('"1"');
    expect(created.json).toMatchObject({ name: 'VIPs', description: 'tagged vip', version: 1, rule: body.rule });
    const retry = await t.call('POST', '/segments', { ...as, body, headers: { 'idempotency-key': 'vip-once' } });
    expect(retry.json).toEqual(created.json);
    expect((await t.call('POST', '/segments', { ...as, body: { ...body, name: 'Other' }, headers: { 'idempotency-key': 'vip-once' } })).status).toBe(422);

    const read = await t.call('GET', `/segments/${created.json.id}`, as);
    expect(read.json).toEqual(created.json);
    expect(read.headers.get('etag')).toBe('"1"');

    const newer = await segment({ field: 'firstName', op: 'exists' }, 'Named');
    const first = await t.call('GET', '/segments?limit=1', as);
    expect(first.json.items.map((s: { id: string }) => s.id)).toEqual([newer.id]);
    const second = await t.call('GET', `/segments?limit=1&cursor=${first.json.nextCursor}`, as);
    expect(second.json.items.map((s: { id: string }) => s.id)).toEqual([created.json.id]);
    expect((await t.call('GET', '/segments/no-such-segment', as)).status).toBe(404);
  });

  it('replaces with If-Match (a stale one is 412) and deletes; a campaign that is not completed or cancelled keeps it (409)', async () => {
    const s = await segment({ field: 'tags', op: 'exists' });
    const body = { name: 'Tagged', rule: { field: 'tags', op: 'in', value: ['vip', 'beta'] } };
    const replaced = await t.call('PUT', `/segments/${s.id}`, { ...as, body, headers: { 'if-match': '"1"' } });
    expect(replaced.status, replaced.text).toBe(200);
    expect(replaced.json).toMatchObject({ name: 'Tagged', version: 2, description: null, rule: body.rule });
    expect(replaced.headers.get('etag')).toBe('"2"');
    const stale = await t.call('PUT', `/segments/${s.id}`, { ...as, body, headers: { 'if-match': '"1"' } });
    expect(stale.status).toBe(412);
    expect((await t.call('DELETE', `/segments/${s.id}`, { ...as, headers: { 'if-match': '"1"' } })).status).toBe(412);

    const client = createTableClient({ endpoint: t.runtime.dynamodbEndpoint, ...LOCAL_AWS });
    const at = new Date().toISOString();
    const campaign: Campaign = {
      id: 'camp-uses-segment',
      name: 'Uses it',
      topic: 'news',
      template: { subject: 'Hi', text: 'Hello', html: null },
      audience: { segmentId: s.id },
      schedule: null,
      trigger: null,
      holdIfOpenCase: null,
      frequencyCap: null,
      status: 'scheduled',
      pausedFrom: null,
      createdAt: at,
      updatedAt: at,
      startedAt: null,
      completedAt: null,
      version: 1,
    };
    await client.send(new PutCommand({ TableName: t.runtime.tableName, Item: toCampaignItem(campaign) }));
    const inUse = await t.call('DELETE', `/segments/${s.id}`, { ...as, headers: { 'if-match': '"2"' } });
    expect(inUse.status).toBe(409);
    expect(inUse.json.detail).toContain('camp-uses-segment');

    await client.send(new PutCommand({ TableName: t.runtime.tableName, Item: toCampaignItem({ ...campaign, status: 'completed', completedAt: at }) }));
    client.destroy();
    expect((await t.call('DELETE', `/segments/${s.id}`, { ...as, headers: { 'if-match': '"2"' } })).status).toBe(204);
    expect((await t.call('GET', `/segments/${s.id}`, as)).status).toBe(404);
  });

  it('refuses an unknown field, an operator that does not fit, a value of the wrong shape, and rules too deep or too large: 400 naming them, nothing created', async () => {
    const before = (await t.call('GET', '/segments?limit=100', as)).json.items.length;
    const refused = async (rule: unknown, path: string) => {
      const res = await t.call('POST', '/segments', { ...as, body: { name: 'Bad', rule } });
      expect(res.status, res.text).toBe(400);
      expect(res.json.errors.map((e: { path: string }) => e.path), res.text).toContain(path);
      return res.json;
    };
    const unknown = await refused({ all: [{ field: 'tags', op: 'exists' }, { field: 'shoeSize', op: 'eq', value: 42 }] }, 'rule.all.1.field');
    expect(JSON.stringify(unknown.errors)).toContain('shoeSize');
    const op = await refused({ any: [{ not: { field: 'createdAt', op: 'contains', value: 'x' } }] }, 'rule.any.0.not.op');
    expect(JSON.stringify(op.errors)).toContain('contains does not fit createdAt');
    await refused({ field: 'stats.interactions.total', op: 'between', value: [3] }, 'rule.value');
    await refused({ field: 'stats.interactions.fax', op: 'gt', value: 1 }, 'rule.field');
    await refused({ field: 'consent.news', op: 'eq', value: 'yes' }, 'rule.value');
    await refused({ field: 'createdAt', op: 'withinLastDays', value: -2 }, 'rule.value');
    await refused({ field: 'tags', op: 'in', value: 'vip' }, 'rule.value');
    await refused({ field: 'tags', op: 'frobnicate', value: 'vip' }, 'rule.op');
    let deep: unknown = { field: 'tags', op: 'exists' };
    for (let i = 0; i < 9; i++) deep = { not: deep };
    await refused(deep, `rule${'.not'.repeat(8)}`);
    const wide = { all: Array.from({ length: 26 }, () => ({ any: Array.from({ length: 4 }, () => ({ field: 'tags', op: 'exists' })) })) };
    await refused(wide, 'rule');
    expect((await t.call('PUT', `/segments/${(await segment({ field: 'tags', op: 'exists' })).id}`, { ...as, body: { name: 'x', rule: { field: 'nope', op: 'eq', value: 1 } } })).status).toBe(400);
    expect((await t.call('GET', '/segments?limit=100', as)).json.items.length).toBe(before + 1);
  });

  it('is for marketers and admins: an agent gets 403', async () => {
    expect((await t.call('GET', '/segments', { role: 'agent' })).status).toBe(403);
    expect((await t.call('POST', '/segments', { role: 'agent', body: { name: 'x', rule: { field: 'tags', op: 'exists' } } })).status).toBe(403);
    expect((await t.call('GET', '/segments', { role: 'admin' })).status).toBe(200);
  });
});

describe('preview: members counted now', () => {
  it('selects on tags, attributes, country, stats per channel, consent and cases; erased customers are never members', async () => {
    expect(await previewOf({ field: 'tags', op: 'contains', value: 'vip' })).toEqual({ count: 2, ids: idsOf('ada', 'cy') });
    expect(await previewOf({ field: 'attributes.score', op: 'gte', value: 50 })).toEqual({ count: 1, ids: idsOf('ada') });
    expect(await previewOf({ field: 'country', op: 'eq', value: 'DE' })).toEqual({ count: 2, ids: idsOf('bob', 'cy') });
    expect(await previewOf({ field: 'stats.interactions.web', op: 'eq', value: 2 })).toEqual({ count: 1, ids: idsOf('ada') });
    expect(await previewOf({ field: 'stats.interactions.total', op: 'gt', value: 0 })).toEqual({ count: 2, ids: idsOf('ada', 'bob') });
    expect(await previewOf({ field: 'consent.news', op: 'eq', value: 'subscribed' })).toEqual({ count: 1, ids: idsOf('ada') });
    expect(await previewOf({ field: 'consent.news', op: 'eq', value: 'pending' })).toEqual({ count: 1, ids: idsOf('cy') });
    expect(await previewOf({ field: 'cases.openUrgent', op: 'gte', value: 1 })).toEqual({ count: 1, ids: idsOf('bob') });
    expect(await previewOf({ all: [{ field: 'createdAt', op: 'withinLastDays', value: 1 }, { not: { field: 'tags', op: 'exists' } }] })).toEqual({
      count: 1,
      ids: idsOf('bob'),
    });
  });

  it('keeps at most `limit` in the sample, and counts them all', async () => {
    const s = await segment({ field: 'email', op: 'contains', value: '@example.com' });
    const res = await t.call('GET', `/segments/${s.id}/preview?limit=1`, as);
    expect(res.json.count).toBe(3);
    expect(res.json.sample).toHaveLength(1);
    expect(Object.keys(res.json.sample[0]).sort()).toEqual(['createdAt', 'email', 'firstName', 'id', 'lastName']);
    expect(res.json.sample[0].email).toContain('@example.com');
    expect((await t.call('GET', `/segments/${s.id}/preview?limit=0`, as)).status).toBe(400);
  });

  it('counts a rule not saved yet the same as a saved one (the editor\'s live count), and creates no segment', async () => {
    const rule = { field: 'tags', op: 'contains', value: 'vip' };
    const before = (await t.call('GET', '/segments?limit=100', as)).json.items.length;
    const res = await t.call('POST', '/segments/preview?limit=100', { ...as, body: { rule } });
    expect(res.status, res.text).toBe(200);
    expect({ count: res.json.count, ids: (res.json.sample as { id: string }[]).map((c) => c.id).sort() }).toEqual(await previewOf(rule));
    const bad = await t.call('POST', '/segments/preview', { ...as, body: { rule: { all: [{ field: 'tags', op: 'gte', value: 1 }] } } });
    expect(bad.status).toBe(400);
    expect(bad.json.errors[0].path).toBe('rule.all.0.op');
    expect((await t.call('POST', '/segments/preview', { role: 'agent', body: { rule } })).status).toBe(403);
    expect((await t.call('GET', '/segments?limit=100', as)).json.items.length).toBe(before + 1); // previewOf's own segment only
  });
});

describe('snapshots', () => {
  it('202 building, then ready through the durable scan with the members the preview counts, paged', async () => {
    const s = await segment({ any: [{ field: 'tags', op: 'contains', value: 'vip' }, { field: 'cases.open', op: 'gt', value: 0 }] });
    const started = await t.call('POST', `/segments/${s.id}/snapshots`, { ...as, headers: { 'idempotency-key': 'snap-1' } });
    expect(started.status, started.text).toBe(202);
    expect(started.json).toMatchObject({ segmentId: s.id, status: 'building', count: 0, completedAt: null });
    expect(started.headers.get('location')).toBe(`/segments/${s.id}/snapshots/${started.json.id}`);
    const retried = await t.call('POST', `/segments/${s.id}/snapshots`, { ...as, headers: { 'idempotency-key': 'snap-1' } });
    expect(retried.json.id).toBe(started.json.id);

    await t.runtime.idle();
    const ready = await eventually(async () => {
      const res = await t.call('GET', `/segments/${s.id}/snapshots/${started.json.id}`, as);
      return res.json.status === 'ready' ? res.json : undefined;
    });
    expect(ready).toMatchObject({ count: 3, completedAt: expect.any(String) });

    const members: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; json: { items: { customerId: string }[]; nextCursor: string | null } } = await t.call(
        'GET',
        `/segments/${s.id}/snapshots/${started.json.id}/members?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        as,
      );
      expect(res.status).toBe(200);
      expect(res.json.items.length).toBeLessThanOrEqual(2);
      members.push(...res.json.items.map((m) => m.customerId));
      cursor = res.json.nextCursor;
    } while (cursor);
    expect(members.sort()).toEqual(idsOf('ada', 'bob', 'cy'));

    // The snapshot is frozen: a customer who joins later is not in it.
    await customer('late', { email: 'late@example.com', tags: ['vip'] });
    await t.runtime.idle();
    expect((await t.call('GET', `/segments/${s.id}/snapshots/${started.json.id}`, as)).json.count).toBe(3);
  });

  it('404 for an unknown segment or snapshot; a cursor of another listing is a 400', async () => {
    expect((await t.call('POST', '/segments/nope/snapshots', as)).status).toBe(404);
    const s = await segment({ field: 'tags', op: 'exists' });
    expect((await t.call('GET', `/segments/${s.id}/snapshots/nope`, as)).status).toBe(404);
    expect((await t.call('GET', `/segments/${s.id}/snapshots/nope/members`, as)).status).toBe(404);
    const page = await t.call('GET', '/segments?limit=1', as);
    const snap = await t.call('POST', `/segments/${s.id}/snapshots`, as);
    await t.runtime.idle();
    const res = await t.call('GET', `/segments/${s.id}/snapshots/${snap.json.id}/members?cursor=${page.json.nextCursor}`, as);
    expect(res.status).toBe(400);
    expect(res.json.errors).toEqual([{ path: 'cursor', message: 'is not a cursor this listing issued' }]);
  });
});
