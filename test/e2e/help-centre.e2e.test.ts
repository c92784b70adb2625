import { randomUUID } from 'node:crypto';
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArticleRevision } from '../../domain/knowledge/article.schema.ts';
import { toCategoriesItem } from '../../functions/knowledge/article.keys.ts';
import { FEEDBACK_LIMIT } from '../../functions/knowledge/knowledge.composition.ts';
import { articleRevision, publishRevision, withdrawRevision } from '../support/knowledge-fixtures.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

// The public help centre through the real local runtime: published articles (LIVE items, slug
// pointers and the ArticlePublished event in one transaction, as the authoring side commits them)
// go through the outbox, the stream and the bus to the search indexer; then search, the pages,
// feedback with its rate limit, and case suggestions over the HTTP API.

let t: TestRuntime;

beforeAll(async () => {
  t = await startTestRuntime();
  await t.runtime.client.send(
    new PutCommand({
      TableName: t.runtime.tableName,
      Item: toCategoriesItem({ categories: [{ id: 'account', name: 'Account', children: [{ id: 'security', name: 'Security' }] }, { id: 'billing', name: 'Billing' }] }, 1),
    }),
  );
});
afterAll(async () => {
  await t?.runtime.stop();
});

const article = articleRevision;
const publish = (r: ArticleRevision) => publishRevision(t, r);
const withdraw = (r: ArticleRevision) => withdrawRevision(t, r);

const search = async (query: string) => (await t.call('GET', `/help/articles?${query}`, { role: null })).json as { items: { id: string; slug: string; snippet: { title: string; body: string } }[]; nextCursor: string | null };

const password = article('Reset your password', '<p>Forgot it? Use the reset link to choose a new <b>password</b>.</p>', { category: 'security', publishedAt: '2025-02-01T10:00:00.000Z' });
const invoices = article('Download invoices', '<p>Invoices are under Billing.</p>', { category: 'billing', publishedAt: '2025-02-02T10:00:00.000Z' });
const german = article('Passwort zurücksetzen', '<p>Haben Sie Ihre Passwörter vergessen?</p>', { locale: 'de' });

describe('the help centre', () => {
  beforeAll(async () => {
    for (const r of [password, invoices, german]) await publish(r);
  });

  it('finds a published article with a typo, a prefix, and across locales', async () => {
    expect((await search('q=pasword')).items.map((h) => h.id)).toContain(password.articleId);
    expect((await search('q=pass&locale=en')).items[0]!.id).toBe(password.articleId);
    const both = await search('q=passw%C3%B6rter%20password');
    expect(new Set(both.items.map((h) => h.id))).toEqual(new Set([password.articleId, german.articleId]));
    const [hit] = (await search('q=password&locale=en')).items;
    expect(hit!.snippet.title).toBe('Reset your <mark>password</mark>');
  });

  it('filters by category (with its sub-categories) and lists the newest without q', async () => {
    expect((await search('category=account')).items.map((h) => h.id)).toEqual([password.articleId]);
    const newest = await search('locale=en&limit=1');
    expect(newest.items.map((h) => h.id)).toEqual([invoices.articleId]);
    const next = await search(`locale=en&limit=1&cursor=${newest.nextCursor}`);
    expect(next.items.map((h) => h.id)).toEqual([password.articleId]);
  });

  it('answers an article as JSON, and as its page to a browser', async () => {
    const json = await t.call('GET', `/help/articles/${password.slug}`, { role: null });
    expect(json.status).toBe(200);
    expect(json.json).toMatchObject({ id: password.articleId, html: password.html, revision: 1, url: expect.stringContaining(`/help/articles/${password.slug}`) });
    const page = await t.call('GET', `/help/articles/${password.articleId}`, { role: null, headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1 id="article-title">Reset your password</h1>');
    expect(page.text).toContain(password.html);
  });

  it('serves the help centre page with the search form and results', async () => {
    const page = await t.call('GET', '/help?q=invoice', { role: null });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<label for="help-q">Search the help centre</label>');
    expect(page.text).toContain(`/help/articles/${invoices.slug}`);
    expect(page.text).toContain('<h2 id="categories-heading">Categories</h2>');
  });

  it('makes a newly published article searchable within seconds, and drops a withdrawn one', async () => {
    const fresh = article('Configure two-factor authentication', '<p>Use an authenticator app.</p>');
    await publish(fresh);
    await eventually(async () => ((await search('q=authenticator')).items.some((h) => h.id === fresh.articleId) ? true : undefined), 8_000);
    await withdraw(fresh);
    await eventually(async () => ((await search('q=authenticator')).items.length === 0 ? true : undefined), 8_000);
    expect((await t.call('GET', `/help/articles/${fresh.slug}`, { role: null })).status).toBe(404);
  });

  it('is 404 for an unknown or unpublished article', async () => {
    const draft = article('Draft only', '<p>Not yet.</p>');
    expect((await t.call('GET', `/help/articles/${draft.slug}`, { role: null })).status).toBe(404);
    expect((await t.call('POST', `/help/articles/${draft.articleId}/feedback`, { role: null, body: { helpful: true } })).status).toBe(404);
  });
});

describe('feedback', () => {
  it('takes feedback up to the limit, then 429 with Retry-After; keeps the count and no reader data', async () => {
    // Start at the beginning of a fresh window (virtual clock), so the burst stays in one window.
    const now = (await t.call('GET', '/_local/clock', { role: null })).json.now as string;
    const seconds = FEEDBACK_LIMIT.windowSeconds - (Math.floor(Date.parse(now) / 1000) % FEEDBACK_LIMIT.windowSeconds) + 1;
    await fetch(`${t.runtime.url}/_local/clock/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ seconds }) });

    const post = (body: unknown) => t.call('POST', `/help/articles/${invoices.slug}/feedback`, { role: null, body, headers: { 'user-agent': 'Reader-Agent/1.0' } });
    for (let i = 0; i < FEEDBACK_LIMIT.limit; i++) {
      const res = await post({ helpful: i % 2 === 0, comment: i === 0 ? 'Clear, thanks' : undefined });
      expect(res.status).toBe(202);
      expect(res.json).toEqual({ received: true });
    }
    const limited = await post({ helpful: true });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);

    const listed = await t.call('GET', `/kb/articles/${invoices.articleId}/feedback?limit=4`, { role: 'agent' });
    expect(listed.status).toBe(200);
    expect(listed.json.items).toHaveLength(4);
    const rest = await t.call('GET', `/kb/articles/${invoices.articleId}/feedback?limit=100&cursor=${listed.json.nextCursor}`, { role: 'agent' });
    expect(rest.json.items).toHaveLength(FEEDBACK_LIMIT.limit - 4);
    expect([...listed.json.items, ...rest.json.items].find((f: { comment: string | null }) => f.comment !== null)).toMatchObject({ comment: 'Clear, thanks', articleId: invoices.articleId, revision: 1 });

    const items = await t.runtime.client.send(new ScanCommand({ TableName: t.runtime.tableName }));
    const text = JSON.stringify(items.Items);
    expect(text).not.toMatch(/127\.0\.0\.1|::1|Reader-Agent/);
    const counts = items.Items!.find((i) => i.pk === `ARTICLE#${invoices.articleId}` && i.sk === 'COUNTS');
    expect(counts).toMatchObject({ helpful: 5, notHelpful: 5 });
  });

  it('lists feedback only for staff, and 404 for an article that never existed', async () => {
    expect((await t.call('GET', `/kb/articles/${invoices.articleId}/feedback`, { role: 'customer' })).status).toBe(403);
    expect((await t.call('GET', `/kb/articles/${randomUUID()}/feedback`, { role: 'agent' })).status).toBe(404);
  });
});

describe('case suggestions', () => {
  it("suggests the articles that match a case's subject and description", async () => {
    const customer = await t.call('POST', '/customers', { body: { email: `reader-${randomUUID()}@example.com`, locale: 'en' } });
    expect(customer.status).toBe(201);
    const opened = await t.call('POST', '/cases', { body: { customerId: customer.json.id, subject: 'I forgot my pasword', description: 'The reset link never arrives.', channel: 'web' } });
    expect(opened.status).toBe(201);
    const suggestions = await t.call('GET', `/cases/${opened.json.id}/suggestions?limit=2`, { role: 'agent' });
    expect(suggestions.status).toBe(200);
    expect(suggestions.json.items[0].id).toBe(password.articleId);
    expect(suggestions.json.items.length).toBeLessThanOrEqual(2);
    expect((await t.call('GET', `/cases/${randomUUID()}/suggestions`, { role: 'agent' })).status).toBe(404);
  });
});
