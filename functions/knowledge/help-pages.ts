import { escapeHtml } from '#domain/consent/email-gate.ts';
import type { ArticleRevision, CategoryNode, CategoryTree, SearchHit } from '#domain/knowledge/article.schema.ts';
import type { ApiResult } from '../shared/http-app.ts';

// The public help centre's pages: semantic HTML with landmarks, a labelled search form and plain
// links, so it works without script and with a screen reader. Every value from the table or the
// query string is escaped; only the article's HTML (sanitised when it was published) and the
// snippets (escaped text with <mark>, built by domain/knowledge/snippet.ts) go in as HTML.

const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:48rem;margin:2rem auto;padding:0 1rem;line-height:1.5}' +
  '.skip{position:absolute;left:-999px}.skip:focus{left:1rem}mark{background:#ffe066}' +
  'input,button{font-size:1rem;padding:.4rem .6rem}nav ul,ol{padding-left:1.2rem}';

function document(status: number, lang: string, title: string, body: string): ApiResult {
  return {
    statusCode: status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
      'content-security-policy': "default-src 'none'; img-src https: data:; style-src 'unsafe-inline'; form-action 'self'",
      'referrer-policy': 'no-referrer',
      vary: 'Accept',
    },
    body:
      `<!doctype html><html lang="${escapeHtml(lang)}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
      `<title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><a class="skip" href="#main">Skip to content</a>${body}</body></html>`,
  };
}

function categoryList(nodes: readonly CategoryNode[], locale: string | undefined): string {
  if (nodes.length === 0) return '';
  const items = nodes.map((n) => {
    const query = new URLSearchParams({ category: n.id, ...(locale ? { locale } : {}) });
    return `<li><a href="/help?${escapeHtml(query.toString())}">${escapeHtml(n.name)}</a>${categoryList(n.children ?? [], locale)}</li>`;
  });
  return `<ul>${items.join('')}</ul>`;
}

export interface HelpCentreView {
  readonly q: string;
  readonly locale: string | undefined;
  readonly category: string | undefined;
  readonly hits: readonly SearchHit[];
  readonly tree: CategoryTree;
}

/** GET /help: the search form, the category tree and the results (or the newest articles). */
export function helpCentrePage(view: HelpCentreView): ApiResult {
  const { q, locale, category, hits, tree } = view;
  const hidden = [locale ? ['locale', locale] : undefined, category ? ['category', category] : undefined]
    .filter((f): f is string[] => f !== undefined)
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value!)}">`)
    .join('');
  const form =
    `<form role="search" method="get" action="/help"><label for="help-q">Search the help centre</label> ` +
    `<input id="help-q" name="q" type="search" maxlength="200" value="${escapeHtml(q)}">${hidden} <button type="submit">Search</button></form>`;
  const heading = q ? `Results for “${escapeHtml(q)}”` : 'Newest articles';
  const results =
    hits.length === 0
      ? `<p>${q ? 'No article matches your search. Try other words.' : 'There are no articles yet.'}</p>`
      : `<ol>${hits.map((h) => `<li><h3><a href="${escapeHtml(h.url)}">${h.snippet.title}</a></h3><p>${h.snippet.body}</p></li>`).join('')}</ol>`;
  const nav = tree.categories.length ? `<nav aria-labelledby="categories-heading"><h2 id="categories-heading">Categories</h2>${categoryList(tree.categories, locale)}</nav>` : '';
  const body =
    `<header><p><a href="/help">Help centre</a></p></header>` +
    `<main id="main"><h1>Help centre</h1>${form}` +
    `<section aria-labelledby="results-heading" aria-live="polite"><h2 id="results-heading">${heading}</h2>${results}</section></main>${nav}`;
  return document(200, locale ?? 'en', q ? `${q} – Help centre` : 'Help centre', body);
}

/** GET /help/articles/{slug} as a page: the published revision's sanitised HTML. */
export function articlePage(article: ArticleRevision): ApiResult {
  const published = new Date(article.publishedAt).toISOString().slice(0, 10);
  const body =
    `<header><p><a href="/help">Help centre</a></p></header>` +
    `<main id="main"><article aria-labelledby="article-title"><h1 id="article-title">${escapeHtml(article.title)}</h1>` +
    `<p><small>Updated <time datetime="${escapeHtml(article.publishedAt)}">${published}</time></small></p>` +
    `${article.html}</article></main>`;
  return document(200, article.locale, `${article.title} – Help centre`, body);
}
