import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { knowledgeHandler } from '../../functions/knowledge/knowledge.app.ts';
import { markdownRenderer } from '../../functions/knowledge/markdown-renderer.ts';
import { type ApiRequest, claimsFor, invoke } from '../support/api-gateway.ts';
import { fakeClock, sequentialIds } from '../support/fakes.ts';
import { type FakeKnowledge, fakeKnowledge } from '../support/knowledge-fakes.ts';
import { fakeHelpApp } from '../support/help-fakes.ts';

// The authoring routes' HTTP edge with in-memory repositories: what each answer carries, which
// input is refused before anything is written, and who may do what.

const AGENT = claimsFor(['agent'], { sub: 'agent-7' });
const MANAGER = claimsFor(['manager'], { sub: 'manager-1' });
const MARKETER = claimsFor(['marketer']);

let kb: FakeKnowledge;
let handler: ReturnType<typeof knowledgeHandler>;
let errorLog: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  kb = fakeKnowledge();
  const clock = fakeClock('2026-02-01T08:00:00.000Z');
  const ids = sequentialIds('art');
  handler = knowledgeHandler({ clock, ids, articles: kb.articles, categories: kb.categories, renderer: markdownRenderer, ...fakeHelpApp(clock, ids) });
  errorLog = vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => {
  expect(errorLog).not.toHaveBeenCalled();
  errorLog.mockRestore();
});

const call = (request: Omit<ApiRequest, 'claims'> & { claims?: ApiRequest['claims'] }) => invoke(handler, { claims: AGENT, ...request });
const create = async (body: Record<string, unknown> = {}, claims = AGENT) => {
  const res = await call({ routeKey: 'POST /kb/articles', claims, body: { title: 'How to pay', body: 'Pay **now**.', locale: 'en-GB', ...body } });
  expect(res.statusCode, res.text).toBe(201);
  return res;
};
const patch = (id: string, body: unknown, headers: Record<string, string> = {}, claims = MANAGER) =>
  call({ routeKey: 'PATCH /kb/articles/{id}', pathParameters: { id }, claims, headers: { 'content-type': 'application/merge-patch+json', ...headers }, body });

describe('POST /kb/articles', () => {
  it('answers 201 with Location and ETag, the author from the token and the HTML rendered', async () => {
    const res = await create();
    expect(res.headers.location).toBe('/kb/articles/art-0001');
    expect(res.headers.etag).toBe('"1"');
    expect(res.json).toMatchObject({ id: 'art-0001', slug: 'how-to-pay', html: '<p>Pay <strong>now</strong>.</p>\n', authorId: 'agent-7', updatedBy: 'agent-7', status: 'draft' });
  });

  it('refuses read-only fields, a bad slug and an unknown field with 400 naming them, writing nothing', async () => {
    const readOnly = await call({ routeKey: 'POST /kb/articles', body: { title: 'T', body: 'b', locale: 'en-GB', version: 3, html: '<script>' } });
    expect(readOnly.statusCode).toBe(400);
    expect(readOnly.json.errors.map((e: { path: string }) => e.path).sort()).toEqual(['html', 'version']);
    const badSlug = await call({ routeKey: 'POST /kb/articles', body: { title: 'T', body: 'b', locale: 'en-GB', slug: 'Not A Slug' } });
    expect(badSlug.json.errors).toEqual([expect.objectContaining({ path: 'slug' })]);
    expect(kb.stored.size).toBe(0);
  });

  it('an agent creating an article published is 403; a marketer may not create at all', async () => {
    const res = await call({ routeKey: 'POST /kb/articles', body: { title: 'T', body: 'b', locale: 'en-GB', status: 'published' } });
    expect(res.statusCode).toBe(403);
    expect((await call({ routeKey: 'POST /kb/articles', claims: MARKETER, body: { title: 'T', body: 'b', locale: 'en-GB' } })).statusCode).toBe(403);
    expect(kb.stored.size).toBe(0);
    expect(kb.events).toEqual([]);
  });
});

describe('PATCH and DELETE /kb/articles/{id}', () => {
  it('a malformed If-Match is 400; an unknown or malformed id is 404', async () => {
    await create();
    expect((await patch('art-0001', { title: 'x' }, { 'if-match': 'yesterday' })).statusCode).toBe(400);
    expect((await patch('nope', { title: 'x' })).statusCode).toBe(404);
    expect((await patch('bad id!', { title: 'x' })).statusCode).toBe(404);
    expect((await call({ routeKey: 'GET /kb/articles/{id}', pathParameters: { id: 'nope' } })).statusCode).toBe(404);
  });

  it('publishing answers the new version and ETag; the working copy keeps its author and records the publisher', async () => {
    await create();
    const res = await patch('art-0001', { status: 'published' }, { 'if-match': '"1"' });
    expect(res.statusCode, res.text).toBe(200);
    expect(res.headers.etag).toBe('"2"');
    expect(res.json).toMatchObject({ authorId: 'agent-7', updatedBy: 'manager-1', publishedRevision: 1 });
    expect(kb.live.get('art-0001')).toMatchObject({ revision: 1, publishedBy: 'manager-1' });
  });

  it('an agent deleting a published article is 403 and it stays; a manager deletes it (204)', async () => {
    await create({ status: 'published' }, MANAGER);
    const del = (claims: typeof AGENT) => call({ routeKey: 'DELETE /kb/articles/{id}', pathParameters: { id: 'art-0001' }, claims });
    expect((await del(AGENT)).statusCode).toBe(403);
    expect(kb.stored.has('art-0001')).toBe(true);
    expect((await del(MANAGER)).statusCode).toBe(204);
    expect(kb.stored.has('art-0001')).toBe(false);
    expect(kb.slugs.has('how-to-pay')).toBe(false);
  });
});

describe('listing, versions, categories', () => {
  it('passes the filters through and refuses unknown ones (400)', async () => {
    await create({ locale: 'de-DE' });
    await create({ title: 'Other' });
    const de = await call({ routeKey: 'GET /kb/articles', query: { locale: 'de-DE' }, claims: MARKETER });
    expect(de.json.items.map((a: { locale: string }) => a.locale)).toEqual(['de-DE']);
    expect((await call({ routeKey: 'GET /kb/articles', query: { status: 'live' } })).statusCode).toBe(400);
    expect((await call({ routeKey: 'GET /kb/articles', query: { author: 'x' } })).statusCode).toBe(400);
  });

  it('versions of an unknown article are 404', async () => {
    expect((await call({ routeKey: 'GET /kb/articles/{id}/versions', pathParameters: { id: 'nope' } })).statusCode).toBe(404);
  });

  it('GET /kb/categories answers an empty tree before any PUT; PUT is for publishers', async () => {
    expect((await call({ routeKey: 'GET /kb/categories' })).json).toEqual({ categories: [] });
    const tree = { categories: [{ id: 'billing', name: 'Billing', description: 'Money matters' }] };
    expect((await call({ routeKey: 'PUT /kb/categories', body: tree })).statusCode).toBe(403);
    const put = await call({ routeKey: 'PUT /kb/categories', claims: MANAGER, body: tree });
    expect(put.statusCode).toBe(200);
    expect(put.json).toEqual(tree);
    expect((await call({ routeKey: 'GET /kb/categories' })).json).toEqual(tree);
  });
});
