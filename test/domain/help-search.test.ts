import { describe, expect, it } from 'vitest';
import type { ArticleRevision, CategoryTree } from '../../domain/knowledge/article.schema.ts';
import { categoryWithDescendants, helpUseCases, type HelpQuery } from '../../domain/knowledge/help.use-cases.ts';
import { fakeCaseTexts, fakeFeedbackStore, fakeLiveArticles, indexesOf, revision } from '../support/help-fakes.ts';
import { fakeClock, sequentialIds } from '../support/fakes.ts';

const BASE = 'https://help.example.test';

const TREE: CategoryTree = {
  categories: [
    { id: 'account', name: 'Account', children: [{ id: 'security', name: 'Security' }] },
    { id: 'billing', name: 'Billing', children: [{ id: 'refunds', name: 'Refunds', children: [{ id: 'card-refunds', name: 'Card refunds' }] }] },
  ],
};

function helpOver(list: ArticleRevision[], tree: CategoryTree = TREE) {
  return helpUseCases({
    articles: fakeLiveArticles(list, tree),
    indexes: indexesOf(list),
    feedback: fakeFeedbackStore(),
    cases: fakeCaseTexts(),
    clock: fakeClock(),
    ids: sequentialIds(),
  });
}

const q = (text: string, more: Partial<HelpQuery> = {}): HelpQuery => ({ q: text, offset: 0, limit: 10, baseUrl: BASE, ...more });

const reset = revision({ title: 'Reset your password', html: '<p>Forgot it? Use the <b>reset</b> link on the sign-in page to choose a new password.</p>', category: 'security', tags: ['login'] });
const invoices = revision({ title: 'Download invoices', html: '<p>Invoices are in Billing. A password is not needed for the PDF.</p>', category: 'billing' });
const refunds = revision({ title: 'Refund to a card', html: '<p>Refunds reach your card in 5 days.</p>', category: 'card-refunds' });
const german = revision({ title: 'Passwort zurücksetzen', html: '<p>Sie haben Ihre Passwörter vergessen? So setzen Sie sie zurück.</p>', locale: 'de', slug: 'passwort-zuruecksetzen' });
const germanBills = revision({ title: 'Rechnungen herunterladen', html: '<p>Alle Rechnungen finden Sie im Kundenkonto.</p>', locale: 'de' });
const ALL = [reset, invoices, refunds, german, germanBills];

describe('help search', () => {
  it('tolerates a typo: "pasword" finds "password"', async () => {
    const page = await helpOver(ALL).search(q('pasword', { locale: 'en' }));
    expect(page.hits.map((h) => h.id)).toContain(reset.articleId);
  });

  it('matches a prefix: "pass" finds "password"', async () => {
    const page = await helpOver(ALL).search(q('pass', { locale: 'en' }));
    expect(page.hits[0]!.id).toBe(reset.articleId);
  });

  it('stems English: "resetting passwords" finds the article about resetting a password', async () => {
    const page = await helpOver(ALL).search(q('resetting passwords', { locale: 'en' }));
    expect(page.hits[0]!.id).toBe(reset.articleId);
  });

  it('stems German: "Rechnung" finds "Rechnungen", "Passwörter" finds "Passwort"', async () => {
    const help = helpOver(ALL);
    expect((await help.search(q('Rechnung', { locale: 'de' }))).hits.map((h) => h.id)).toEqual([germanBills.articleId]);
    expect((await help.search(q('Passwörter', { locale: 'de' }))).hits[0]!.id).toBe(german.articleId);
  });

  it('ranks a match in the title above one in the body only', async () => {
    const page = await helpOver(ALL).search(q('password', { locale: 'en' }));
    expect(page.hits.map((h) => h.id)).toEqual([reset.articleId, invoices.articleId]);
    expect(page.hits[0]!.score).toBeGreaterThan(page.hits[1]!.score);
  });

  it('searches every locale without `locale`, merged by score', async () => {
    const page = await helpOver(ALL).search(q('passwort password'));
    expect(new Set(page.hits.map((h) => h.locale))).toEqual(new Set(['en', 'de']));
    const scores = page.hits.map((h) => h.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('marks matched words in the snippets, and escapes the text around them', async () => {
    const nasty = revision({ title: 'Password <script>alert(1)</script> rules', html: '<p>A strong password &amp; &lt;b&gt;bold&lt;/b&gt; choices: passwords need 12 characters.</p>' });
    const [hit] = (await helpOver([nasty]).search(q('password'))).hits;
    expect(hit!.snippet.title).toBe('<mark>Password</mark> &lt;script&gt;alert(1)&lt;/script&gt; rules');
    expect(hit!.snippet.body).toContain('<mark>password</mark> &amp; &lt;b&gt;bold&lt;/b&gt;');
    expect(hit!.snippet.body).toContain('<mark>passwords</mark>');
    expect(hit!.snippet.body).not.toMatch(/<(?!\/?mark>)/);
  });

  it('cuts the body snippet around the best match, with ellipses', async () => {
    const filler = 'Lorem ipsum dolor sit amet. '.repeat(30);
    const long = revision({ title: 'Long read', html: `<p>${filler}Here the invoice number is explained.${filler}</p>` });
    const [hit] = (await helpOver([long]).search(q('invoice'))).hits;
    expect(hit!.snippet.body.startsWith('…')).toBe(true);
    expect(hit!.snippet.body.endsWith('…')).toBe(true);
    expect(hit!.snippet.body).toContain('<mark>invoice</mark> number');
    expect(hit!.snippet.body.length).toBeLessThan(300);
  });

  it('filters by a category and the categories below it', async () => {
    const help = helpOver(ALL);
    const billing = await help.search(q('', { category: 'billing' }));
    expect(billing.hits.map((h) => h.id).sort()).toEqual([invoices.articleId, refunds.articleId].sort());
    const account = await help.search(q('password', { category: 'account' }));
    expect(account.hits.map((h) => h.id)).toEqual([reset.articleId]);
    expect(categoryWithDescendants(TREE, 'refunds')).toEqual(new Set(['refunds', 'card-refunds']));
  });

  it('without a query lists the newest published first', async () => {
    const page = await helpOver(ALL).search(q('', { locale: 'en' }));
    const dates = page.hits.map((h) => ALL.find((r) => r.articleId === h.id)!.publishedAt);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(page.hits).toHaveLength(3);
  });

  it('pages by offset and says when there is more', async () => {
    const many = Array.from({ length: 7 }, (_, i) => revision({ title: `Password tip ${i}`, html: '<p>password</p>' }));
    const help = helpOver(many);
    const first = await help.search(q('password', { limit: 3 }));
    const second = await help.search(q('password', { limit: 3, offset: 3 }));
    const third = await help.search(q('password', { limit: 3, offset: 6 }));
    expect([first.more, second.more, third.more]).toEqual([true, true, false]);
    const ids = [...first.hits, ...second.hits, ...third.hits].map((h) => h.id);
    expect(new Set(ids).size).toBe(7);
  });

  it('leaves out a hit whose article was withdrawn after the index was written, and shows the live revision', async () => {
    const gone = revision({ title: 'Password policy' });
    const help = helpUseCases({
      articles: fakeLiveArticles([{ ...reset, revision: 2, title: 'Reset your password (new)' }], TREE),
      indexes: indexesOf([reset, gone]),
      feedback: fakeFeedbackStore(),
      cases: fakeCaseTexts(),
      clock: fakeClock(),
      ids: sequentialIds(),
    });
    const page = await help.search(q('password'));
    expect(page.hits.map((h) => [h.id, h.title])).toEqual([[reset.articleId, 'Reset your password (new)']]);
  });

  it('gives each hit its public URL', async () => {
    const [hit] = (await helpOver([reset]).search(q('reset'))).hits;
    expect(hit!.url).toBe(`${BASE}/help/articles/${reset.slug}`);
  });

  it('finds nothing for words in no article, and nothing in a locale without an index', async () => {
    const help = helpOver(ALL);
    expect((await help.search(q('zebra'))).hits).toEqual([]);
    expect((await help.search(q('password', { locale: 'fr' }))).hits).toEqual([]);
  });
});

describe('feedback and suggestions', () => {
  it('keeps the vote on the published revision and nothing about the reader', async () => {
    const feedback = fakeFeedbackStore();
    const help = helpUseCases({ articles: fakeLiveArticles([reset]), indexes: indexesOf([reset]), feedback, cases: fakeCaseTexts(), clock: fakeClock(), ids: sequentialIds() });
    await help.feedback(reset.slug, { helpful: false, comment: '  too short  ' });
    expect(feedback.recorded).toEqual([{ id: expect.any(String), articleId: reset.articleId, revision: 1, helpful: false, comment: 'too short', at: '2025-01-15T09:00:00.000Z' }]);
    await expect(help.feedback('no-such-article', { helpful: true })).rejects.toMatchObject({ kind: 'not_found' });
  });

  it("suggests articles for a case, in its customer's locale first", async () => {
    const cases = fakeCaseTexts({
      c1: { subject: 'Cannot reset my password', description: 'The link does not arrive', locale: 'en' },
      c2: { subject: 'Passwort vergessen', description: null, locale: 'de' },
    });
    const help = helpUseCases({ articles: fakeLiveArticles(ALL), indexes: indexesOf(ALL), feedback: fakeFeedbackStore(), cases, clock: fakeClock(), ids: sequentialIds() });
    expect((await help.suggestions('c1', 5, BASE))[0]!.id).toBe(reset.articleId);
    expect((await help.suggestions('c2', 5, BASE)).map((h) => h.locale)).toEqual(['de']);
    await expect(help.suggestions('nope', 5, BASE)).rejects.toMatchObject({ kind: 'not_found' });
  });
});
