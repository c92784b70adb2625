import { randomBytes } from 'node:crypto';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArticleRevision } from '../../domain/knowledge/article.schema.ts';
import { searchIndexer } from '../../domain/knowledge/search-indexer.use-cases.ts';
import { NO_PAUSE } from '../../domain/shared/ports.ts';
import { liveKey, toLiveItem } from '../../functions/knowledge/article.keys.ts';
import { dynamoLiveArticles } from '../../functions/knowledge/live-articles.dynamodb.ts';
import { miniSearchEngine } from '../../functions/knowledge/minisearch-engine.ts';
import { CHUNK_BYTES, chunkKey, headKey, REPLACED_CHUNKS_TTL_SECONDS } from '../../functions/knowledge/search-index.keys.ts';
import { dynamoIndexStore } from '../../functions/knowledge/search-index.dynamodb-store.ts';
import { storedSearchIndexes } from '../../functions/knowledge/stored-search-indexes.ts';
import { dynamoRateLimiter } from '../../functions/shared/rate-limit.ts';
import { freshTable } from '../support/dynamodb.ts';
import { fakeClock, sequentialIds } from '../support/fakes.ts';
import { revision } from '../support/help-fakes.ts';

// The stored search index on DynamoDB Local: chunked gzip, the head's conditional generation flip,
// readers that pick up a new generation, replaced chunks that expire later, and the indexer on top.

let table: Awaited<ReturnType<typeof freshTable>>;
const clock = fakeClock('2025-03-01T12:00:00.000Z');

beforeAll(async () => {
  table = await freshTable();
});
afterAll(async () => {
  await table?.drop();
});

// One id source for every store: chunk sets are unique per writer (uuids in production).
const ids = sequentialIds('set');
const infra = () => ({ client: table.client, tableName: table.tableName, clock, ids });
const publish = (r: ArticleRevision) => table.client.send(new PutCommand({ TableName: table.tableName, Item: toLiveItem(r) }));
const nowSeconds = () => Math.floor(clock.now().getTime() / 1000);

describe('dynamoIndexStore', () => {
  it('cuts a large index into chunks under the item limit and loads it back whole', async () => {
    const store = dynamoIndexStore(infra());
    const json = JSON.stringify({ noise: randomBytes(600 * 1024).toString('base64') });
    expect(await store.save('xx', json, 1, undefined)).toBe('saved');
    const head = (await store.head('xx'))!;
    expect(head.chunks).toBeGreaterThan(1);
    expect(head.bytes).toBeGreaterThan(CHUNK_BYTES);
    expect(await store.load(head)).toBe(json);
  });

  it('flips the head only from the generation a writer read: the second of two racing writers gets a conflict', async () => {
    const store = dynamoIndexStore(infra());
    await store.save('yy', '{"v":1}', 1, undefined);
    const read = (await store.head('yy'))!;
    expect(await store.save('yy', '{"v":"a"}', 1, read)).toBe('saved');
    expect(await store.save('yy', '{"v":"b"}', 1, read)).toBe('conflict');
    const head = (await store.head('yy'))!;
    expect(head.generation).toBe(read.generation + 1);
    expect(await store.load(head)).toBe('{"v":"a"}');
  });

  it('lets replaced chunks expire minutes later, so a reader that was loading them still can', async () => {
    const store = dynamoIndexStore(infra());
    await store.save('zz', '{"v":1}', 1, undefined);
    const old = (await store.head('zz'))!;
    await store.save('zz', '{"v":2}', 1, old);
    const chunk = await table.client.send(new GetCommand({ TableName: table.tableName, Key: chunkKey('zz', old.chunkSet, 0) }));
    expect(chunk.Item?.expiresAt).toBe(nowSeconds() + REPLACED_CHUNKS_TTL_SECONDS);
    expect(await store.load(old)).toBe('{"v":1}');
    const current = (await store.head('zz'))!;
    const live = await table.client.send(new GetCommand({ TableName: table.tableName, Key: chunkKey('zz', current.chunkSet, 0) }));
    expect(live.Item?.expiresAt).toBeUndefined();
  });
});

describe('the search indexer and the readers', () => {
  const indexer = () => searchIndexer({ articles: dynamoLiveArticles(table), store: dynamoIndexStore(infra()), engine: miniSearchEngine, retry: NO_PAUSE });

  it('builds the locale from its live articles on the first event, then adds, replaces and removes one article at a time', async () => {
    const a = revision({ title: 'Change your email address', locale: 'en-GB' });
    const b = revision({ title: 'Close your account', locale: 'en-GB' });
    await publish(a);
    expect(await indexer().reconcile('en-GB', a.articleId)).toBe('rebuilt');
    await publish(b);
    expect(await indexer().reconcile('en-GB', b.articleId)).toBe('added');
    expect(await indexer().reconcile('en-GB', b.articleId)).toBe('unchanged');
    await publish({ ...b, revision: 2, title: 'Delete your account' });
    expect(await indexer().reconcile('en-GB', b.articleId)).toBe('replaced');
    await table.client.send(new DeleteCommand({ TableName: table.tableName, Key: liveKey(a.articleId) }));
    expect(await indexer().reconcile('en-GB', a.articleId)).toBe('removed');

    const store = dynamoIndexStore(infra());
    const head = (await store.head('en-GB'))!;
    expect(head).toMatchObject({ generation: 4, articles: 1 });
    const index = miniSearchEngine.load('en-GB', (await store.load(head))!);
    expect(index.search('delete').map((h) => h.fields.id)).toEqual([b.articleId]);
    expect(index.search('email')).toEqual([]);
  });

  it('an event for an older revision than indexed changes nothing; an article moved to another locale leaves this one', async () => {
    const r = revision({ title: 'Two factor login', locale: 'sv', revision: 3 });
    await publish(r);
    await indexer().reconcile('sv', r.articleId);
    const before = (await table.client.send(new GetCommand({ TableName: table.tableName, Key: headKey('sv') }))).Item!;
    expect(await indexer().reconcile('sv', r.articleId)).toBe('unchanged');
    await publish({ ...r, revision: 4, locale: 'da' });
    expect(await indexer().reconcile('sv', r.articleId)).toBe('removed');
    const after = (await table.client.send(new GetCommand({ TableName: table.tableName, Key: headKey('sv') }))).Item!;
    expect(after.generation).toBe(Number(before.generation) + 1);
  });

  it('two indexers racing on one locale both land their article (the loser reloads and retries)', async () => {
    const seed = revision({ title: 'Seed article', locale: 'nl' });
    await publish(seed);
    await indexer().reconcile('nl', seed.articleId);
    const racing = Array.from({ length: 4 }, (_, i) => revision({ title: `Racing article ${i}`, locale: 'nl' }));
    await Promise.all(racing.map(publish));
    await Promise.all(racing.map((r) => indexer().reconcile('nl', r.articleId)));
    const store = dynamoIndexStore(infra());
    const head = (await store.head('nl'))!;
    const index = miniSearchEngine.load('nl', (await store.load(head))!);
    expect(index.search('racing').map((h) => h.fields.id).sort()).toEqual(racing.map((r) => r.articleId).sort());
  });

  it('a reader loads lazily, then sees a new generation at its next check (not before)', async () => {
    const first = revision({ title: 'Printer setup', locale: 'fr' });
    await publish(first);
    await indexer().reconcile('fr', first.articleId);
    const readerClock = fakeClock('2025-03-01T12:00:00.000Z');
    const reader = storedSearchIndexes(dynamoIndexStore(infra()), miniSearchEngine, readerClock, 2_000);
    expect((await reader.current()).get('fr')!.search('printer')).toHaveLength(1);

    const second = revision({ title: 'Printer drivers', locale: 'fr' });
    await publish(second);
    await indexer().reconcile('fr', second.articleId);
    readerClock.advance(1_000);
    expect((await reader.current()).get('fr')!.search('printer')).toHaveLength(1);
    readerClock.advance(1_000);
    expect((await reader.current()).get('fr')!.search('printer')).toHaveLength(2);
  });

  it('rebuilds a locale whose stored index is of another format', async () => {
    const r = revision({ title: 'Shipping times', locale: 'it' });
    await publish(r);
    await indexer().reconcile('it', r.articleId);
    await table.client.send(new PutCommand({ TableName: table.tableName, Item: { ...headKey('it'), locale: 'it', generation: 9, format: 'old-format', chunkSet: 'gone', chunks: 1, articles: 1, bytes: 1, updatedAt: '' } }));
    expect(await indexer().reconcile('it', r.articleId)).toBe('rebuilt');
    const head = (await dynamoIndexStore(infra()).head('it'))!;
    expect(head).toMatchObject({ generation: 10, format: miniSearchEngine.format, articles: 1 });
  });
});

describe('dynamoRateLimiter', () => {
  it('allows the limit per window, refuses the next with Retry-After, and keeps no address', async () => {
    const limitClock = fakeClock('2025-03-01T12:00:10.000Z');
    const limiter = dynamoRateLimiter({ client: table.client, tableName: table.tableName, clock: limitClock }, { scope: 'test-scope', limit: 3, windowSeconds: 60 });
    const verdicts = [];
    for (let i = 0; i < 4; i++) verdicts.push(await limiter.take('ip:198.51.100.23'));
    expect(verdicts.map((v) => v.allowed)).toEqual([true, true, true, false]);
    expect(verdicts[3]).toEqual({ allowed: false, retryAfterSeconds: 50 });
    expect(await limiter.take('ip:198.51.100.99')).toEqual({ allowed: true });
    limitClock.advance(50_000);
    expect(await limiter.take('ip:198.51.100.23')).toEqual({ allowed: true });
    const items = await table.scanAll();
    expect(JSON.stringify(items)).not.toContain('198.51.100');
    const counters = items.filter((i) => String(i.pk).startsWith('RATE#'));
    expect(counters.length).toBe(3);
    for (const c of counters) expect(Number(c.expiresAt) % 60).toBe(0);
  });
});
