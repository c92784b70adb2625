import { CaseNotFoundError, NotFoundError } from '../shared/errors.ts';
import type { Clock, IdGenerator } from '../shared/ports.ts';
import type { ArticleFeedback, ArticleRevision, CategoryNode, CategoryTree, FeedbackInput, SearchHit } from './article.schema.ts';
import type { CaseTexts, FeedbackStore, LiveArticles, SearchIndexes } from './help.ports.ts';
import type { LocaleIndex, StoredFields } from './search-index.ts';
import { bodySnippet, highlight } from './snippet.ts';

export interface HelpPorts {
  readonly articles: LiveArticles;
  readonly indexes: SearchIndexes;
  readonly feedback: FeedbackStore;
  readonly cases: CaseTexts;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

export interface HelpQuery {
  readonly q?: string | undefined;
  readonly locale?: string | undefined;
  readonly category?: string | undefined;
  readonly offset: number;
  readonly limit: number;
  /** Where the help centre is published (hit URLs). */
  readonly baseUrl: string;
}

export interface HitPage {
  readonly hits: SearchHit[];
  readonly more: boolean;
}

/** The longest case text a suggestion search takes (subject first). */
const SUGGESTION_TEXT = 500;

export class ArticleNotPublishedError extends NotFoundError {
  constructor(idOrSlug: string) {
    super(`No published article with id or slug ${idOrSlug}.`);
  }
}

export const articleUrl = (baseUrl: string, slug: string) => `${baseUrl}/help/articles/${encodeURIComponent(slug)}`;

/** A category and every category below it (a filter on "Billing" also finds "Billing > Refunds"). */
export function categoryWithDescendants(tree: CategoryTree, id: string): Set<string> {
  const found = (nodes: readonly CategoryNode[]): CategoryNode | undefined => {
    for (const n of nodes) {
      if (n.id === id) return n;
      const below = found(n.children ?? []);
      if (below) return below;
    }
    return undefined;
  };
  const out = new Set<string>([id]);
  const collect = (n: CategoryNode) => (n.children ?? []).forEach((c) => (out.add(c.id), collect(c)));
  const root = found(tree.categories);
  if (root) collect(root);
  return out;
}

export function helpUseCases(ports: HelpPorts) {
  const { articles, indexes, clock, ids } = ports;

  async function published(idOrSlug: string): Promise<ArticleRevision> {
    const found = (await articles.byId(idOrSlug)) ?? (await articles.bySlug(idOrSlug));
    if (!found) throw new ArticleNotPublishedError(idOrSlug);
    return found;
  }

  async function accepting(category: string | undefined): Promise<((f: StoredFields) => boolean) | undefined> {
    if (category === undefined) return undefined;
    const wanted = categoryWithDescendants(await articles.categories(), category);
    return (f) => f.category !== null && wanted.has(f.category);
  }

  function toHit(index: LocaleIndex, f: StoredFields, score: number, terms: readonly string[], baseUrl: string): SearchHit {
    const process = (word: string) => index.process(word);
    const matched = new Set(terms);
    return {
      id: f.id,
      slug: f.slug,
      title: f.title,
      locale: f.locale,
      category: f.category,
      url: articleUrl(baseUrl, f.slug),
      score,
      snippet: {
        title: highlight(f.title, process, matched),
        body: bodySnippet(f.excerpt, process, matched),
      },
    };
  }

  /**
   * With q: every chosen locale's index searched, merged by score (best first). Without: the newest
   * published first, from the same indexes (so a listing and a search agree on what is public).
   */
  async function search(query: HelpQuery): Promise<HitPage> {
    const all = await indexes.current();
    const chosen = query.locale === undefined ? [...all.values()] : [all.get(query.locale)].filter((i): i is LocaleIndex => i !== undefined);
    const accept = await accepting(query.category);
    const q = query.q?.trim() ?? '';
    const ranked: SearchHit[] = [];
    if (q === '') {
      const newest = chosen.flatMap((index) => index.all(accept).map((f) => ({ index, f })));
      newest.sort((a, b) => b.f.publishedAt.localeCompare(a.f.publishedAt) || a.f.id.localeCompare(b.f.id));
      for (const { index, f } of newest.slice(query.offset, query.offset + query.limit + 1)) ranked.push(toHit(index, f, 0, [], query.baseUrl));
    } else {
      const scored = chosen.flatMap((index) => index.search(q, accept).map((hit) => ({ index, hit })));
      scored.sort((a, b) => b.hit.score - a.hit.score || a.hit.fields.id.localeCompare(b.hit.fields.id));
      for (const { index, hit } of scored.slice(query.offset, query.offset + query.limit + 1)) ranked.push(toHit(index, hit.fields, hit.score, hit.terms, query.baseUrl));
    }
    return { hits: ranked.slice(0, query.limit), more: ranked.length > query.limit };
  }

  return {
    search,

    /** A published article by id or slug (the live revision). */
    article: published,

    categories: () => articles.categories(),

    /** Counts a reader's vote on the published revision; keeps nothing about the reader. */
    async feedback(idOrSlug: string, input: FeedbackInput): Promise<ArticleFeedback> {
      const article = await published(idOrSlug);
      const comment = input.comment?.trim();
      const feedback: ArticleFeedback = {
        id: ids.next(),
        articleId: article.articleId,
        revision: article.revision,
        helpful: input.helpful,
        comment: comment ? comment : null,
        at: clock.now().toISOString(),
      };
      await ports.feedback.record(feedback);
      return feedback;
    },

    /** The published articles that best match a case's subject and description (its customer's locale first). */
    async suggestions(caseId: string, limit: number, baseUrl: string): Promise<SearchHit[]> {
      const text = await ports.cases.read(caseId);
      if (!text) throw new CaseNotFoundError(caseId);
      const q = `${text.subject} ${text.description ?? ''}`.slice(0, SUGGESTION_TEXT);
      const all = await indexes.current();
      if (text.locale !== null && all.has(text.locale)) {
        const own = await search({ q, locale: text.locale, offset: 0, limit, baseUrl });
        if (own.hits.length > 0) return own.hits;
      }
      return (await search({ q, offset: 0, limit, baseUrl })).hits;
    },
  };
}

export type HelpUseCases = ReturnType<typeof helpUseCases>;
