import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createArticle } from '../../domain/knowledge/article.ts';
import { knowledgeUseCases } from '../../domain/knowledge/article.use-cases.ts';
import { ConcurrentUpdateError, StaleVersionError } from '../../domain/shared/errors.ts';
import { dynamoArticleRepository, dynamoCategoryRepository } from '../../functions/knowledge/article.dynamodb-repository.ts';
import { articleKey, countsKey, liveKey, revisionKey, slugKey } from '../../functions/knowledge/article.keys.ts';
import { markdownRenderer } from '../../functions/knowledge/markdown-renderer.ts';
import { uuidIds } from '../../functions/shared/system.ts';
import { freshTable } from '../support/dynamodb.ts';
import { fakeClock } from '../support/fakes.ts';

// The knowledge authoring side against DynamoDB Local: one transaction per change (article, slug
// pointer, revision, LIVE copy, outbox), slug uniqueness under concurrent writers, no lost update,
// revisions kept, and deletion removing everything of the article.

let table: Awaited<ReturnType<typeof freshTable>>;
let kb: ReturnType<typeof knowledgeUseCases>;
let repo: ReturnType<typeof dynamoArticleRepository>;
const clock = fakeClock('2026-03-01T10:00:00.000Z');
const CTX = { correlationId: 'it' };
const agent = { id: 'agent-1', roles: ['agent'] };
const manager = { id: 'manager-1', roles: ['manager'] };
const article = (title: string, over: Record<string, unknown> = {}) => ({ title, body: `About ${title}`, locale: 'en-GB', status: 'draft' as const, ...over });

const get = async (key: { pk: string; sk: string }) => (await table.client.send(new GetCommand({ TableName: table.tableName, Key: key, ConsistentRead: true }))).Item;
const outbox = async () => (await table.scanAll()).filter((i) => String(i.pk).startsWith('OUTBOX#')).map((i) => ({ type: i.detailType, data: JSON.parse(String(i.detail)).data }));

beforeAll(async () => {
  table = await freshTable();
  const db = { client: table.client, tableName: table.tableName, clock, ids: uuidIds };
  repo = dynamoArticleRepository(db);
  kb = knowledgeUseCases({ articles: repo, categories: dynamoCategoryRepository(db), renderer: markdownRenderer, clock, ids: uuidIds });
});
afterAll(async () => {
  await table?.drop();
});

describe('article repository on DynamoDB Local', () => {
  it('a publish writes the working copy, REV#1, LIVE (in its locale partition) and the event in one transaction', async () => {
    const a = await kb.create(article('Publish me', { status: 'published', tags: ['x'] }), manager, CTX);
    expect(await get(articleKey(a.id))).toMatchObject({ version: 1, gsi1pk: 'ARTICLES', gsi4pk: 'ARTICLE_STATUS#published', data: { status: 'published', publishedRevision: 1 } });
    expect(await get(revisionKey(a.id, 1))).toMatchObject({ sk: 'REV#000001', data: { revision: 1, title: 'Publish me', html: '<p>About Publish me</p>\n' } });
    expect(await get(liveKey(a.id))).toMatchObject({ gsi1pk: 'HELP#en-GB', revision: 1, data: { slug: 'publish-me' } });
    expect(await get(slugKey('publish-me'))).toMatchObject({ articleId: a.id });
    expect((await outbox()).filter((e) => e.data.articleId === a.id)).toEqual([{ type: 'ArticlePublished', data: { articleId: a.id, revision: 1, locale: 'en-GB', slug: 'publish-me' } }]);
  });

  it('feedback counts come from the COUNTS item (zeros without one)', async () => {
    const a = await kb.create(article('Counted'), agent, CTX);
    expect((await kb.get(a.id)).feedback).toEqual({ helpful: 0, notHelpful: 0 });
    await table.client.send(new PutCommand({ TableName: table.tableName, Item: { ...countsKey(a.id), helpful: 3, notHelpful: 1 } }));
    expect((await kb.get(a.id)).feedback).toEqual({ helpful: 3, notHelpful: 1 });
    expect((await kb.list({ limit: 100 })).items.find((x) => x.id === a.id)?.feedback).toEqual({ helpful: 3, notHelpful: 1 });
    // A write of the working copy never touches the counts.
    expect((await kb.patch(a.id, { title: 'Counted again' }, undefined, agent, CTX)).feedback).toEqual({ helpful: 3, notHelpful: 1 });
  });

  it('concurrent creations of one title each get a slug of their own', async () => {
    const created = await Promise.all(Array.from({ length: 6 }, () => kb.create(article('Same title'), agent, CTX)));
    const slugs = created.map((a) => a.slug).sort();
    expect(new Set(slugs).size).toBe(6);
    expect(slugs).toContain('same-title');
    for (const a of created) expect(await get(slugKey(a.slug))).toMatchObject({ articleId: a.id });
  });

  it('concurrent edits lose no update: without If-Match each lands; with the same If-Match only one does', async () => {
    const a = await kb.create(article('Edited by many', { tags: [] }), agent, CTX);
    await Promise.all(['t1', 't2', 't3', 't4'].map((tag, i) => kb.patch(a.id, { body: `body ${i}`, tags: [tag] }, undefined, agent, CTX)));
    expect((await kb.get(a.id)).version).toBe(5);

    const b = await kb.create(article('Raced'), agent, CTX);
    const results = await Promise.allSettled(['x', 'y', 'z'].map((title) => kb.patch(b.id, { title }, 1, agent, CTX)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((r) => r.status === 'rejected')) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(StaleVersionError);
    expect((await kb.get(b.id)).version).toBe(2);
  });

  it('two publishers racing on one draft make one revision 1, never two', async () => {
    const a = await kb.create(article('Publish race'), agent, CTX);
    const results = await Promise.allSettled([1, 2, 3].map(() => kb.patch(a.id, { status: 'published' }, undefined, manager, CTX)));
    expect(results.every((r) => r.status === 'fulfilled' || (r as PromiseRejectedResult).reason instanceof ConcurrentUpdateError)).toBe(true);
    expect((await kb.versions(a.id, { limit: 10 })).items.map((r) => r.revision)).toEqual([1]);
    expect((await outbox()).filter((e) => e.data.articleId === a.id && e.type === 'ArticlePublished')).toHaveLength(1);
  });

  it('a renamed published article holds both slugs until it is published again; revisions are kept newest first and paged', async () => {
    const a = await kb.create(article('Old name', { status: 'published' }), manager, CTX);
    await kb.patch(a.id, { slug: 'new-name', body: 'v2' }, undefined, agent, CTX);
    // The public URL keeps working until the rename is published.
    expect(await get(slugKey('old-name'))).toMatchObject({ articleId: a.id });
    expect(await get(slugKey('new-name'))).toMatchObject({ articleId: a.id });
    await expect(kb.create(article('Taken meanwhile', { slug: 'old-name' }), agent, CTX)).rejects.toMatchObject({ code: 'slug-taken' });
    await kb.patch(a.id, { status: 'published' }, undefined, manager, CTX);
    expect(await get(slugKey('old-name'))).toBeUndefined();
    await kb.patch(a.id, { body: 'v3', status: 'published' }, undefined, manager, CTX);
    const first = await kb.versions(a.id, { limit: 2 });
    expect(first.items.map((r) => [r.revision, r.slug])).toEqual([[3, 'new-name'], [2, 'new-name']]);
    const rest = await kb.versions(a.id, { limit: 2, cursor: first.nextCursor! });
    expect(rest).toEqual({ items: [expect.objectContaining({ revision: 1, slug: 'old-name' })], nextCursor: null });
    expect(await get(liveKey(a.id))).toMatchObject({ revision: 3, data: { body: 'v3' } });
  });

  it('archiving deletes LIVE but keeps the revisions; deleting removes every item of the article', async () => {
    const a = await kb.create(article('Going away', { status: 'published' }), manager, CTX);
    await table.client.send(new PutCommand({ TableName: table.tableName, Item: { ...countsKey(a.id), helpful: 1, notHelpful: 0 } }));
    await kb.patch(a.id, { status: 'archived' }, undefined, manager, CTX);
    expect(await get(liveKey(a.id))).toBeUndefined();
    expect(await get(revisionKey(a.id, 1))).toBeDefined();
    await kb.remove(a.id, undefined, manager, CTX);
    expect((await table.scanAll()).filter((i) => i.pk === `ARTICLE#${a.id}` || i.pk === 'ARTICLE_SLUG#going-away')).toEqual([]);
    expect((await outbox()).filter((e) => e.data.articleId === a.id).map((e) => [e.type, e.data.reason])).toEqual(
      expect.arrayContaining([['ArticlePublished', undefined], ['ArticleWithdrawn', 'archived']]),
    );
  });

  it('a category that is gone refuses the article, also when it went between the check and the write (ConditionCheck on the tree)', async () => {
    await kb.putCategories({ categories: [{ id: 'kept', name: 'Kept' }, { id: 'gone', name: 'Gone' }] });
    const a = await kb.create(article('Categorised', { category: 'kept' }), agent, CTX);
    expect(a.category).toBe('kept');
    await kb.putCategories({ categories: [{ id: 'kept', name: 'Kept' }] });
    await expect(kb.create(article('Too late', { category: 'gone' }), agent, CTX)).rejects.toMatchObject({ code: 'unknown-category' });
    // The write itself checks the tree too: a change read against the old tree is refused.
    const stale = createArticle(article('Read before', { category: 'gone' }), { id: 'stale-1', slug: 'read-before', html: '', actor: agent, now: clock.now() });
    expect(await repo.save(stale, undefined, { reserve: ['read-before'], release: [] }, CTX)).toEqual({ refused: 'category-gone' });
    expect(await get(articleKey('stale-1'))).toBeUndefined();
    expect(await get(slugKey('read-before'))).toBeUndefined();
    await expect(kb.putCategories({ categories: [] })).rejects.toMatchObject({ code: 'category-in-use' });
  });

  it('a body too large once rendered is refused (400 naming body) before anything is written', async () => {
    const before = (await table.scanAll()).length;
    await expect(kb.create(article('Angle brackets', { body: '<'.repeat(100_000) }), agent, CTX)).rejects.toMatchObject({ code: 'validation', issues: [expect.objectContaining({ path: 'body' })] });
    expect((await table.scanAll()).length).toBe(before);
  });

  it('large articles: a page stops at 4 MB with a cursor to the rest, across DynamoDB\'s 1 MB query pages; so do revisions', async () => {
    const big = 'x'.repeat(99_000);
    const created: string[] = [];
    for (let i = 0; i < 24; i++) created.push((await kb.create(article(`Big ${i}`, { body: `${big}${i}`, locale: 'fr-CA' }), agent, CTX)).id);
    const first = await kb.list({ limit: 100, locale: 'fr-CA' });
    expect(first.items.length).toBeGreaterThan(5);
    expect(first.items.length).toBeLessThan(24);
    expect(first.nextCursor).not.toBeNull();
    const seen = [...first.items.map((a) => a.id)];
    for (let cursor = first.nextCursor; cursor; ) {
      const next = await kb.list({ limit: 100, locale: 'fr-CA', cursor });
      seen.push(...next.items.map((a) => a.id));
      cursor = next.nextCursor;
    }
    // Same createdAt here (a fake clock): the order is by id then; every article once, none lost.
    expect([...seen].sort()).toEqual([...created].sort());

    const a = created[0]!;
    for (let i = 0; i < 8; i++) await kb.patch(a, { body: `${big}rev${i}`, status: 'published' }, undefined, manager, CTX);
    const versions = await kb.versions(a, { limit: 10 });
    expect(versions.items.map((r) => r.revision)).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
    expect(versions.nextCursor).toBeNull();
  }, 60_000);
});
