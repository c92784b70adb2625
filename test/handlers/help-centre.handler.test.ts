import { beforeEach, describe, expect, it } from 'vitest';
import type { ArticleRevision, CategoryTree } from '../../domain/knowledge/article.schema.ts';
import { helpUseCases } from '../../domain/knowledge/help.use-cases.ts';
import { knowledgeHandler } from '../../functions/knowledge/knowledge.app.ts';
import type { RateLimiter } from '../../functions/shared/rate-limit.ts';
import { markdownRenderer } from '../../functions/knowledge/markdown-renderer.ts';
import { fakeKnowledge } from '../support/knowledge-fakes.ts';
import { type ApiRequest, apiEvent, claimsFor, lambdaContext } from '../support/api-gateway.ts';
import { fakeCaseTexts, fakeFeedbackStore, fakeLiveArticles, indexesOf, revision } from '../support/help-fakes.ts';
import { fakeClock, sequentialIds } from '../support/fakes.ts';

// The help centre's routes of the knowledge Lambda, driven with API Gateway events over fakes:
// the pages' accessibility basics and escaping, content negotiation, feedback's rate limit.

const TREE: CategoryTree = { categories: [{ id: 'account', name: 'Account & <login>', children: [{ id: 'security', name: 'Security' }] }] };
const nasty = revision({ title: 'Reset <b>"your"</b> password', slug: 'reset-your-password', html: '<p>Use the <a href="/x">reset link</a>. Your password &amp; you.</p>', category: 'security' });
const german = revision({ title: 'Passwort ändern', slug: 'passwort-aendern', locale: 'de', html: '<p>So ändern Sie Ihr Passwort.</p>' });

let handler: ReturnType<typeof knowledgeHandler>;
let feedback: ReturnType<typeof fakeFeedbackStore>;
let allowance: number;

function build(list: ArticleRevision[]) {
  const clock = fakeClock();
  const ids = sequentialIds('fb');
  feedback = fakeFeedbackStore();
  allowance = 2;
  const limiter: RateLimiter = { take: async () => (allowance-- > 0 ? { allowed: true } : { allowed: false, retryAfterSeconds: 42 }) };
  const help = helpUseCases({ articles: fakeLiveArticles(list, TREE), indexes: indexesOf(list), feedback, cases: fakeCaseTexts(), clock, ids });
  const kb = fakeKnowledge();
  handler = knowledgeHandler({
    clock,
    ids,
    articles: kb.articles,
    categories: kb.categories,
    renderer: markdownRenderer,
    help,
    feedbackLimit: limiter,
    feedbackPage: async () => ({ items: [], nextCursor: null }),
  });
}

const call = async (request: ApiRequest) => (await handler(apiEvent(request), lambdaContext))!;

beforeEach(() => build([nasty, german]));

describe('GET /help', () => {
  it('is a page with lang, a main landmark, one h1, a labelled search form and escaped results', async () => {
    const res = await call({ routeKey: 'GET /help', query: { q: 'password "<script>"' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers?.['content-type']).toBe('text/html; charset=utf-8');
    const html = String(res.body);
    expect(html).toMatch(/^<!doctype html><html lang="en">/);
    expect(html.match(/<h1[ >]/g)).toHaveLength(1);
    expect(html).toContain('<main id="main">');
    expect(html).toContain('<form role="search" method="get" action="/help"><label for="help-q">Search the help centre</label>');
    expect(html).toContain('<input id="help-q" name="q" type="search"');
    expect(html).toContain('value="password &quot;&lt;script&gt;&quot;"');
    expect(html).not.toContain('<script');
    expect(html).toContain('href="https://api.example.test/help/articles/reset-your-password"');
    expect(html).toContain('Reset &lt;b&gt;&quot;your&quot;&lt;/b&gt; <mark>password</mark>');
    expect(html).toContain('<nav aria-labelledby="categories-heading"><h2 id="categories-heading">Categories</h2>');
    expect(html).toContain('Account &amp; &lt;login&gt;');
  });

  it('takes its lang from the locale and lists the newest without a query', async () => {
    const html = String((await call({ routeKey: 'GET /help', query: { locale: 'de' } })).body);
    expect(html).toMatch(/<html lang="de">/);
    expect(html).toContain('<h2 id="results-heading">Newest articles</h2>');
    expect(html).toContain('/help/articles/passwort-aendern');
    expect(html).not.toContain('reset-your-password');
  });

  it('says so when nothing matches', async () => {
    const html = String((await call({ routeKey: 'GET /help', query: { q: 'zebra' } })).body);
    expect(html).toContain('No article matches your search');
  });
});

describe('GET /help/articles/{id}', () => {
  it('answers JSON by default, by id or slug', async () => {
    for (const id of [nasty.articleId, nasty.slug]) {
      const res = await call({ routeKey: 'GET /help/articles/{id}', pathParameters: { id } });
      expect(res.statusCode).toBe(200);
      expect(JSON.parse(String(res.body))).toEqual({
        id: nasty.articleId,
        slug: nasty.slug,
        title: nasty.title,
        html: nasty.html,
        locale: 'en',
        category: 'security',
        tags: [],
        revision: 1,
        publishedAt: nasty.publishedAt,
        url: 'https://api.example.test/help/articles/reset-your-password',
      });
    }
  });

  it('answers the article page to a browser, the title escaped and the sanitised HTML as published', async () => {
    const res = await call({ routeKey: 'GET /help/articles/{id}', pathParameters: { id: german.slug }, headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } });
    expect(res.headers?.['content-type']).toBe('text/html; charset=utf-8');
    const html = String(res.body);
    expect(html).toMatch(/<html lang="de">/);
    expect(html).toContain('<h1 id="article-title">Passwort ändern</h1>');
    expect(html).toContain(german.html);
    const own = String((await call({ routeKey: 'GET /help/articles/{id}', pathParameters: { id: nasty.slug }, headers: { accept: 'text/html' } })).body);
    expect(own).toContain('<h1 id="article-title">Reset &lt;b&gt;&quot;your&quot;&lt;/b&gt; password</h1>');
  });

  it('prefers JSON when the client ranks it higher', async () => {
    const res = await call({ routeKey: 'GET /help/articles/{id}', pathParameters: { id: nasty.slug }, headers: { accept: 'text/html;q=0.5, application/json' } });
    expect(res.headers?.['content-type']).toBe('application/json');
  });

  it('is 404 for an unknown or impossible id', async () => {
    for (const id of ['no-such-slug', 'x'.repeat(300), 'bad id!']) {
      const res = await call({ routeKey: 'GET /help/articles/{id}', pathParameters: { id } });
      expect(res.statusCode).toBe(404);
      expect(res.headers?.['content-type']).toBe('application/problem+json');
    }
  });
});

describe('GET /help/articles', () => {
  it('pages with an opaque cursor bound to the query, and refuses a crafted one', async () => {
    build(Array.from({ length: 5 }, (_, i) => revision({ title: `Password tip ${i}` })));
    const first = JSON.parse(String((await call({ routeKey: 'GET /help/articles', query: { q: 'password', limit: '2' } })).body));
    expect(first.items).toHaveLength(2);
    const second = JSON.parse(String((await call({ routeKey: 'GET /help/articles', query: { q: 'password', limit: '2', cursor: first.nextCursor } })).body));
    expect(second.items.map((h: { id: string }) => h.id)).not.toContain(first.items[0].id);
    const other = await call({ routeKey: 'GET /help/articles', query: { q: 'tip', limit: '2', cursor: first.nextCursor } });
    expect(other.statusCode).toBe(400);
    const crafted = Buffer.from(JSON.stringify({ q: 'help-search:["password","",""]', k: { o: 'O-5' } })).toString('base64url');
    expect((await call({ routeKey: 'GET /help/articles', query: { q: 'password', cursor: crafted } })).statusCode).toBe(400);
  });
});

describe('POST /help/articles/{id}/feedback', () => {
  const post = (body: unknown, id = nasty.slug) => call({ routeKey: 'POST /help/articles/{id}/feedback', pathParameters: { id }, body });

  it('records valid feedback until the limit, then 429 with Retry-After', async () => {
    expect((await post({ helpful: true })).statusCode).toBe(202);
    expect((await post({ helpful: false, comment: 'meh' })).statusCode).toBe(202);
    const limited = await post({ helpful: true });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers?.['retry-after']).toBe('42');
    expect(JSON.parse(String(limited.body)).type).toBe('urn:ecrm:problem:rate-limited');
    expect(feedback.recorded).toHaveLength(2);
  });

  it('refuses bad bodies and unknown articles without counting them', async () => {
    expect((await post({ helpful: 'yes' })).statusCode).toBe(400);
    expect((await post({ helpful: true }, 'unknown')).statusCode).toBe(404);
    expect(allowance).toBe(2);
    expect(feedback.recorded).toEqual([]);
  });
});

describe('GET /cases/{id}/suggestions', () => {
  it('is for case workers only', async () => {
    expect((await call({ routeKey: 'GET /cases/{id}/suggestions', pathParameters: { id: 'c1' } })).statusCode).toBe(401);
    expect((await call({ routeKey: 'GET /cases/{id}/suggestions', pathParameters: { id: 'c1' }, claims: claimsFor(['marketer']) })).statusCode).toBe(403);
    expect((await call({ routeKey: 'GET /cases/{id}/suggestions', pathParameters: { id: 'c1' }, claims: claimsFor(['agent']) })).statusCode).toBe(404);
  });
});
