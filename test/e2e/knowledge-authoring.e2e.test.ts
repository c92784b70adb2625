import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

// Knowledge base authoring through the local runtime: drafts, publishing (revisions, the LIVE copy
// and its events on the bus), republishing, archiving, deleting, roles, If-Match, idempotent
// creation, categories, and a case comment that links a published article.

let t: TestRuntime;
const manager = { role: 'manager' as const };
const agent = { role: 'agent' as const };

type BusEvent = { detailType: string; detail: { data: Record<string, unknown> } };
const eventsOf = async (detailType: string, articleId: string) =>
  ((await t.call('GET', '/_local/events?limit=500', { role: null })).json.items as BusEvent[]).filter((e) => e.detailType === detailType && e.detail.data.articleId === articleId).map((e) => e.detail.data);
const waitFor = (detailType: string, articleId: string, count: number) =>
  eventually(async () => {
    const found = await eventsOf(detailType, articleId);
    return found.length >= count ? found : undefined;
  });

async function create(body: Record<string, unknown>, as: { role: 'manager' | 'agent' | 'admin' } = agent) {
  const res = await t.call('POST', '/kb/articles', { ...as, body: { locale: 'en-GB', body: 'Some **text**.', ...body } });
  expect(res.status, res.text).toBe(201);
  return res.json;
}
const patch = (id: string, body: Record<string, unknown>, options: { role?: 'manager' | 'agent' | 'admin' | 'marketer'; version?: number } = {}) =>
  t.call('PATCH', `/kb/articles/${id}`, {
    role: options.role ?? 'manager',
    body,
    headers: { 'content-type': 'application/merge-patch+json', ...(options.version ? { 'if-match': `"${options.version}"` } : {}) },
  });

beforeAll(async () => {
  t = await startTestRuntime();
  const tree = { categories: [{ id: 'billing', name: 'Billing', children: [{ id: 'invoices', name: 'Invoices' }] }, { id: 'shipping', name: 'Shipping' }] };
  expect((await t.call('PUT', '/kb/categories', { ...manager, body: tree })).status).toBe(200);
});
afterAll(async () => {
  await t?.runtime.stop();
});

describe('drafts', () => {
  it('creates a draft (201, Location, ETag) with rendered, sanitised HTML and a slug from the title; an agent may', async () => {
    const res = await t.call('POST', '/kb/articles', {
      ...agent,
      body: { title: 'Ändern Sie Ihre Rechnungsadresse!', body: '# Steps\n\n<script>alert(1)</script> [bad](javascript:alert(1)) [docs](https://example.com)', locale: 'de-DE', category: 'invoices', tags: ['billing'] },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.headers.get('location')).toBe(`/kb/articles/${res.json.id}`);
    expect(res.headers.get('etag')).toBe('"1"');
    expect(res.json).toMatchObject({
      slug: 'andern-sie-ihre-rechnungsadresse',
      status: 'draft',
      category: 'invoices',
      publishedRevision: null,
      publishedAt: null,
      hasUnpublishedChanges: false,
      feedback: { helpful: 0, notHelpful: 0 },
      version: 1,
    });
    expect(res.json.html).toContain('<h1>Steps</h1>');
    expect(res.json.html).toContain('&lt;script&gt;');
    expect(res.json.html).not.toContain('<script');
    expect(res.json.html).not.toMatch(/href="javascript/i);
    expect(res.json.html).toContain('<a href="https://example.com" rel="noopener noreferrer">docs</a>');
  });

  it('derives -2, -3 for a taken derived slug; a taken slug given explicitly is 409 slug-taken', async () => {
    const a = await create({ title: 'Reset your password' });
    const b = await create({ title: 'Reset your password' });
    const c = await create({ title: 'Reset your password' });
    expect([a.slug, b.slug, c.slug]).toEqual(['reset-your-password', 'reset-your-password-2', 'reset-your-password-3']);
    const taken = await t.call('POST', '/kb/articles', { ...agent, body: { title: 'Other', body: 'x', locale: 'en-GB', slug: 'reset-your-password' } });
    expect(taken.status).toBe(409);
    expect(taken.json.type).toBe('urn:ecrm:problem:slug-taken');
    const moved = await patch(c.id, { slug: 'reset-your-password' });
    expect(moved.status).toBe(409);
    expect(moved.json.type).toBe('urn:ecrm:problem:slug-taken');
    // Moving a slug frees the old one.
    expect((await patch(a.id, { slug: 'password-reset' })).status).toBe(200);
    const reused = await t.call('POST', '/kb/articles', { ...agent, body: { title: 'Other', body: 'x', locale: 'en-GB', slug: 'reset-your-password' } });
    expect(reused.status, reused.text).toBe(201);
  });

  it('refuses an unknown category (422 unknown-category) and a marketer writing (403), and lets a marketer read', async () => {
    const unknown = await t.call('POST', '/kb/articles', { ...agent, body: { title: 'X', body: 'x', locale: 'en-GB', category: 'nope' } });
    expect(unknown.status).toBe(422);
    expect(unknown.json.type).toBe('urn:ecrm:problem:unknown-category');
    expect((await t.call('POST', '/kb/articles', { role: 'marketer', body: { title: 'X', body: 'x', locale: 'en-GB' } })).status).toBe(403);
    const a = await create({ title: 'Readable' });
    expect((await t.call('GET', `/kb/articles/${a.id}`, { role: 'marketer' })).status).toBe(200);
    expect((await t.call('GET', '/kb/articles/no-such-article', agent)).status).toBe(404);
  });

  it('replays an Idempotency-Key: same article, nothing new; another body with the key is 422', async () => {
    const body = { title: 'Idempotent article', body: 'once', locale: 'en-GB' };
    const first = await t.call('POST', '/kb/articles', { ...agent, body, headers: { 'idempotency-key': 'kb-once' } });
    expect(first.status, first.text).toBe(201);
    const retry = await t.call('POST', '/kb/articles', { ...agent, body, headers: { 'idempotency-key': 'kb-once' } });
    expect(retry.status).toBe(201);
    expect(retry.json).toEqual(first.json);
    expect((await t.call('POST', '/kb/articles', { ...agent, body: { ...body, title: 'Else' }, headers: { 'idempotency-key': 'kb-once' } })).status).toBe(422);
    const listed = await t.call('GET', '/kb/articles?limit=100', agent);
    expect(listed.json.items.filter((a: { title: string }) => a.title === 'Idempotent article')).toHaveLength(1);
  });

  it('honours If-Match on PATCH and DELETE (412 when stale) and bumps the version', async () => {
    const a = await create({ title: 'Versioned' });
    const edited = await patch(a.id, { title: 'Versioned, edited' }, { role: 'agent', version: 1 });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.headers.get('etag')).toBe('"2"');
    expect(edited.json.slug).toBe('versioned');
    const stale = await patch(a.id, { title: 'Lost' }, { role: 'agent', version: 1 });
    expect(stale.status).toBe(412);
    expect(stale.json.type).toBe('urn:ecrm:problem:stale-version');
    expect((await t.call('DELETE', `/kb/articles/${a.id}`, { ...agent, headers: { 'if-match': '"1"' } })).status).toBe(412);
    expect((await t.call('GET', `/kb/articles/${a.id}`, agent)).json.title).toBe('Versioned, edited');
    // An agent deletes a draft that was never published.
    expect((await t.call('DELETE', `/kb/articles/${a.id}`, { ...agent, headers: { 'if-match': '"2"' } })).status).toBe(204);
    expect((await t.call('GET', `/kb/articles/${a.id}`, agent)).status).toBe(404);
  });
});

describe('publishing', () => {
  it('publishes (publisher only), keeps the public copy while the working copy changes, republishes, archives and republishes', async () => {
    const a = await create({ title: 'Track your parcel', body: 'Use the **tracking** link.', category: 'shipping' });
    const refused = await patch(a.id, { status: 'published' }, { role: 'agent' });
    expect(refused.status).toBe(403);
    expect((await t.call('GET', `/kb/articles/${a.id}`, agent)).json.status).toBe('draft');

    const published = await patch(a.id, { status: 'published' }, { version: 1 });
    expect(published.status, published.text).toBe(200);
    expect(published.json).toMatchObject({ status: 'published', publishedRevision: 1, hasUnpublishedChanges: false, version: 2 });
    expect(await waitFor('ArticlePublished', a.id, 1)).toEqual([{ articleId: a.id, revision: 1, locale: 'en-GB', slug: 'track-your-parcel' }]);

    // An agent edits the published article: only the working copy changes.
    const edited = await patch(a.id, { body: 'Use the **new** tracking page.' }, { role: 'agent' });
    expect(edited.status, edited.text).toBe(200);
    expect(edited.json).toMatchObject({ status: 'published', publishedRevision: 1, hasUnpublishedChanges: true });
    let versions = await t.call('GET', `/kb/articles/${a.id}/versions`, agent);
    expect(versions.json.items.map((r: { revision: number; body: string }) => [r.revision, r.body])).toEqual([[1, 'Use the **tracking** link.']]);

    // Publishing again freezes the working copy as revision 2; the first stays.
    const republished = await patch(a.id, { status: 'published' });
    expect(republished.json).toMatchObject({ publishedRevision: 2, hasUnpublishedChanges: false });
    versions = await t.call('GET', `/kb/articles/${a.id}/versions`, agent);
    expect(versions.json.items.map((r: { revision: number }) => r.revision)).toEqual([2, 1]);
    expect(versions.json.items[0].html).toContain('<strong>new</strong>');
    // Nothing new to show: publishing once more is a no-op.
    const again = await patch(a.id, { status: 'published' });
    expect(again.json).toMatchObject({ publishedRevision: 2, version: republished.json.version });

    const paged = await t.call('GET', `/kb/articles/${a.id}/versions?limit=1`, agent);
    expect(paged.json.items).toHaveLength(1);
    const rest = await t.call('GET', `/kb/articles/${a.id}/versions?limit=1&cursor=${paged.json.nextCursor}`, agent);
    expect(rest.json).toMatchObject({ items: [{ revision: 1 }], nextCursor: null });

    // Back to draft is not how a published article leaves: 409.
    expect((await patch(a.id, { status: 'draft' })).status).toBe(409);
    expect((await patch(a.id, { status: 'archived' }, { role: 'agent' })).status).toBe(403);
    const archived = await patch(a.id, { status: 'archived' });
    expect(archived.json).toMatchObject({ status: 'archived', publishedRevision: 2 });
    expect(await waitFor('ArticleWithdrawn', a.id, 1)).toEqual([{ articleId: a.id, locale: 'en-GB', reason: 'archived' }]);

    const back = await patch(a.id, { status: 'published' });
    expect(back.json).toMatchObject({ status: 'published', publishedRevision: 3 });
    expect((await waitFor('ArticlePublished', a.id, 3)).map((e) => e.revision)).toEqual([3, 2, 1]);

    // A locale change on publish withdraws the old locale and publishes in the new one.
    const moved = await patch(a.id, { locale: 'de-DE', status: 'published' });
    expect(moved.json).toMatchObject({ locale: 'de-DE', publishedRevision: 4 });
    expect((await waitFor('ArticleWithdrawn', a.id, 2))[0]).toEqual({ articleId: a.id, locale: 'en-GB', reason: 'locale_changed' });
    expect((await waitFor('ArticlePublished', a.id, 4))[0]).toMatchObject({ revision: 4, locale: 'de-DE' });
  });

  it('lets a manager create an article published, but not an agent (403)', async () => {
    const refused = await t.call('POST', '/kb/articles', { ...agent, body: { title: 'Straight out', body: 'x', locale: 'en-GB', status: 'published' } });
    expect(refused.status).toBe(403);
    const a = await create({ title: 'Straight out', status: 'published' }, manager);
    expect(a).toMatchObject({ status: 'published', publishedRevision: 1 });
    expect(await waitFor('ArticlePublished', a.id, 1)).toHaveLength(1);
  });

  it('deleting a published article: agents 403, a manager removes it with its revisions and ArticleWithdrawn(deleted)', async () => {
    const a = await create({ title: 'Short lived', status: 'published' }, manager);
    expect((await t.call('DELETE', `/kb/articles/${a.id}`, agent)).status).toBe(403);
    expect((await t.call('DELETE', `/kb/articles/${a.id}`, { ...manager, headers: { 'if-match': '"1"' } })).status).toBe(204);
    expect(await waitFor('ArticleWithdrawn', a.id, 1)).toEqual([{ articleId: a.id, locale: 'en-GB', reason: 'deleted' }]);
    expect((await t.call('GET', `/kb/articles/${a.id}/versions`, agent)).status).toBe(404);
    // Its slug is free again.
    expect((await create({ title: 'Short lived' })).slug).toBe('short-lived');
  });
});

describe('listing', () => {
  it('lists newest first in pages, by status, locale and category; a crafted cursor is 400', async () => {
    const one = await create({ title: 'List one', locale: 'fr-FR', category: 'billing' });
    const two = await create({ title: 'List two', locale: 'fr-FR' });
    const three = await create({ title: 'List three', locale: 'fr-FR', category: 'billing', status: 'published' }, manager);
    const page = await t.call('GET', '/kb/articles?locale=fr-FR&limit=2', agent);
    expect(page.json.items.map((a: { id: string }) => a.id)).toEqual([three.id, two.id]);
    const next = await t.call('GET', `/kb/articles?locale=fr-FR&limit=2&cursor=${page.json.nextCursor}`, agent);
    expect(next.json).toEqual({ items: [expect.objectContaining({ id: one.id })], nextCursor: null });
    const billing = await t.call('GET', '/kb/articles?locale=fr-FR&category=billing', agent);
    expect(billing.json.items.map((a: { id: string }) => a.id)).toEqual([three.id, one.id]);
    const published = await t.call('GET', '/kb/articles?status=published&locale=fr-FR', { role: 'marketer' });
    expect(published.json.items.map((a: { id: string }) => a.id)).toEqual([three.id]);
    // A cursor from one listing is no good for another.
    expect((await t.call('GET', `/kb/articles?locale=de-DE&cursor=${page.json.nextCursor}`, agent)).status).toBe(400);
    expect((await t.call('GET', '/kb/articles?cursor=eyJxIjoieCJ9', agent)).status).toBe(400);
  });
});

describe('categories', () => {
  it('reads the tree; refuses duplicate ids and a fourth level naming the path; a used category cannot go (409)', async () => {
    const tree = (await t.call('GET', '/kb/categories', { role: 'marketer' })).json;
    expect(tree.categories.map((c: { id: string }) => c.id)).toEqual(['billing', 'shipping']);

    const duplicate = await t.call('PUT', '/kb/categories', { ...manager, body: { categories: [{ id: 'a', name: 'A', children: [{ id: 'a', name: 'A again' }] }] } });
    expect(duplicate.status).toBe(400);
    expect(duplicate.json.errors).toEqual([expect.objectContaining({ path: 'categories.0.children.0.id' })]);
    const deep = { categories: [{ id: 'l1', name: '1', children: [{ id: 'l2', name: '2', children: [{ id: 'l3', name: '3', children: [{ id: 'l4', name: '4' }] }] }] }] };
    const tooDeep = await t.call('PUT', '/kb/categories', { ...manager, body: deep });
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.json.errors).toEqual([expect.objectContaining({ path: 'categories.0.children.0.children.0.children' })]);
    expect((await t.call('PUT', '/kb/categories', { ...agent, body: tree })).status).toBe(403);

    // invoices and billing are used by articles above.
    const inUse = await t.call('PUT', '/kb/categories', { ...manager, body: { categories: [{ id: 'shipping', name: 'Shipping' }] } });
    expect(inUse.status).toBe(409);
    expect(inUse.json.type).toBe('urn:ecrm:problem:category-in-use');
    expect(inUse.json.detail).toMatch(/billing \(\d+ articles?\)/);
    expect((await t.call('GET', '/kb/categories', agent)).json).toEqual(tree);

    const renamed = { categories: [...tree.categories, { id: 'returns', name: 'Returns' }] };
    const put = await t.call('PUT', '/kb/categories', { ...manager, body: renamed });
    expect(put.status).toBe(200);
    expect((await t.call('GET', '/kb/categories', agent)).json).toEqual(renamed);
  });
});

describe('article links on case comments', () => {
  it('a public comment carries the public URL of a published article; an unpublished one is 422 naming articleIds.<i>', async () => {
    const customer = await t.call('POST', '/customers', { body: { email: 'kb-reader@example.com' } });
    expect(customer.status, customer.text).toBe(201);
    const opened = await t.call('POST', '/cases', { body: { customerId: customer.json.id, subject: 'Where is my parcel?', channel: 'email' } });
    expect(opened.status, opened.text).toBe(201);
    const live = await create({ title: 'Where is my parcel', status: 'published' }, manager);
    const draft = await create({ title: 'Not yet public' });

    const refused = await t.call('POST', `/cases/${opened.json.id}/comments`, { ...agent, body: { body: 'See these', visibility: 'public', articleIds: [live.id, draft.id] } });
    expect(refused.status).toBe(422);
    expect(refused.json.type).toBe('urn:ecrm:problem:article-not-published');
    expect(refused.json.errors).toEqual([expect.objectContaining({ path: 'articleIds.1' })]);

    const res = await t.call('POST', `/cases/${opened.json.id}/comments`, { ...agent, body: { body: 'This should help.', visibility: 'public', articleIds: [live.id] } });
    expect(res.status, res.text).toBe(201);
    const url = `${t.runtime.url}/help/articles/where-is-my-parcel`;
    expect(res.json.articles).toEqual([{ id: live.id, title: 'Where is my parcel', url }]);
    expect(res.json.body).toBe(`This should help.\n\nRelated articles:\n- Where is my parcel: ${url}`);

    const internal = await t.call('POST', `/cases/${opened.json.id}/comments`, { ...agent, body: { body: 'Linked for us', articleIds: [live.id] } });
    expect(internal.json).toMatchObject({ body: 'Linked for us', visibility: 'internal', articles: [{ id: live.id, url }] });

    const listed = await t.call('GET', `/cases/${opened.json.id}/comments`, agent);
    expect(listed.json.items.map((c: { articles: unknown[] }) => c.articles.length)).toEqual([1, 1]);
  });
});
