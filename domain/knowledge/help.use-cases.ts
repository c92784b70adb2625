import { CaseNotFoundError, NotFoundError } from '../shared/errors.ts';
import type { Clock, IdGenerator } from '../shared/ports.ts';
import type { ArticleFeedback, ArticleRevision, CategoryNode, CategoryTree, FeedbackInput, SearchHit } from './article.schema.ts';
import type { CaseTexts, FeedbackStore, LiveArticles, SearchIndexes } from './help.ports.ts';
import { type LocaleIndex, plainText, SNIPPET_SOURCE_CHARS, type StoredFields } from './search-index.ts';
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

  interface Candidate {
    readonly index: LocaleIndex;
    readonly id: string;
    readonly score: number;
    readonly terms: readonly string[];
  }

  /** A hit as shown: from the live revision (what its page shows), its matches marked. */
  function toHit({ index, score, terms }: Candidate, live: ArticleRevision, baseUrl: string): SearchHit {
    const process = (word: string) => index.process(word);
    const matched = new Set(terms);
    return {
      id: live.articleId,
      slug: live.slug,
      title: live.title,
      locale: live.locale,
      category: live.category,
      url: articleUrl(baseUrl, live.slug),
      score,
      snippet: {
        title: highlight(live.title, process, matched),
        body: bodySnippet(plainText(live.html).slice(0, SNIPPET_SOURCE_CHARS), process, matched),
      },
    };
  }

  /**
   * With q: every chosen locale's index searched, merged by score (best first). Without: the newest
   * published first, from the same indexes (so a listing and a search agree on what is public).
   * The page's live revisions are read in one request for the snippets; a hit whose article was
   * withdrawn since the index was written is left out.
   */
  async function search(query: HelpQuery): Promise<HitPage> {
    const all = await indexes.current();
    const chosen = query.locale === undefined ? [...all.values()] : [all.get(query.locale)].filter((i): i is LocaleIndex => i !== undefined);
    const accept = await accepting(query.category);
    const q = query.q?.trim() ?? '';
    let candidates: Candidate[];
    if (q === '') {
      const newest = chosen.flatMap((index) => index.all(accept).map((f) => ({ index, f })));
      newest.sort((a, b) => b.f.publishedAt.localeCompare(a.f.publishedAt) || a.f.id.localeCompare(b.f.id));
      candidates = newest.slice(query.offset, query.offset + query.limit + 1).map(({ index, f }) => ({ index, id: f.id, score: 0, terms: [] }));
    } else {
      const scored = chosen.flatMap((index) => index.search(q, accept).map((hit) => ({ index, hit })));
      scored.sort((a, b) => b.hit.score - a.hit.score || a.hit.fields.id.localeCompare(b.hit.fields.id));
      candidates = scored.slice(query.offset, query.offset + query.limit + 1).map(({ index, hit }) => ({ index, id: hit.fields.id, score: hit.score, terms: hit.terms }));
    }
    const page = candidates.slice(0, query.limit);
    const live = page.length > 0 ? await articles.manyById(page.map((c) => c.id)) : new Map<string, ArticleRevision>();
    const hits = page.flatMap((c) => {
      const revision = live.get(c.id);
      return revision && revision.locale === c.index.locale ? [toHit(c, revision, query.baseUrl)] : [];
    });
    return { hits, more: candidates.length > query.limit };
  }

  return {
    search,

    /** A published article by id or slug (the live revision). */
    article: published,

    categories: () => articles.categories(),

    /** Counts a reader's vote on the published revision (named, or as already read); keeps nothing about the reader. */
    async feedback(target: string | ArticleRevision, input: FeedbackInput): Promise<ArticleFeedback> {
      const article = typeof target === 'string' ? await published(target) : target;
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
