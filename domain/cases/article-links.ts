import { UnprocessableError, type FieldIssue } from '../shared/errors.ts';
import type { CommentArticle } from './case.schema.ts';

// Knowledge-base articles linked to case comments (issue 11): only published ones, by the public
// URL of the help centre (/help/articles/<slug>).

/** Port: the published (LIVE) copy of each article, undefined for one that is not published. */
export interface PublishedArticles {
  published(ids: readonly string[]): Promise<Map<string, { title: string; slug: string }>>;
}

export class ArticleNotPublishedError extends UnprocessableError {
  override readonly code = 'article-not-published';
  readonly issues: readonly FieldIssue[];
  constructor(issues: readonly FieldIssue[]) {
    super(`Only published articles can be linked: ${issues.map((i) => i.path).join(', ')} ${issues.length === 1 ? 'is' : 'are'} not.`);
    this.issues = issues;
  }
}

export const articleUrl = (baseUrl: string, slug: string) => `${baseUrl}/help/articles/${slug}`;

/** The links in the order given (repeats once); 422 naming `articleIds.<i>` of each id that is not published. */
export async function linkArticles(articles: PublishedArticles, ids: readonly string[], baseUrl: string): Promise<CommentArticle[]> {
  const found = await articles.published([...new Set(ids)]);
  const missing = ids.flatMap((id, i) => (found.has(id) ? [] : [{ path: `articleIds.${i}`, message: `article ${id} is not published` }]));
  if (missing.length > 0) throw new ArticleNotPublishedError(missing);
  return [...new Set(ids)].map((id) => ({ id, title: found.get(id)!.title, url: articleUrl(baseUrl, found.get(id)!.slug) }));
}

/** The body with a short footer of "Title: URL" lines (nothing added without links). */
export function withArticleFooter(body: string, articles: readonly CommentArticle[]): string {
  if (articles.length === 0) return body;
  return `${body}\n\nRelated articles:\n${articles.map((a) => `- ${a.title}: ${a.url}`).join('\n')}`;
}
