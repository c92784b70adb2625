import type { ArticleFeedback, ArticleRevision, CategoryTree } from '../../domain/knowledge/article.schema.ts';
import type { CaseText, CaseTexts, FeedbackStore, IndexHead, IndexStore, LiveArticles, SearchIndexes } from '../../domain/knowledge/help.ports.ts';
import type { LocaleIndex } from '../../domain/knowledge/search-index.ts';
import { miniSearchEngine } from '../../functions/knowledge/minisearch-engine.ts';
import { helpUseCases } from '../../domain/knowledge/help.use-cases.ts';
import type { HelpApp } from '../../functions/knowledge/knowledge.composition.ts';
import type { Clock, IdGenerator } from '../../domain/shared/ports.ts';

let counter = 0;

/** A published revision, as the authoring side writes it to the LIVE item. */
export function revision(overrides: Partial<ArticleRevision> & Pick<ArticleRevision, 'title'>): ArticleRevision {
  counter += 1;
  const slug = overrides.slug ?? overrides.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
  return {
    articleId: `art-${counter}`,
    revision: 1,
    slug,
    body: '',
    html: '<p>Nothing here.</p>',
    locale: 'en',
    category: null,
    tags: [],
    publishedAt: `2025-01-${String((counter % 27) + 1).padStart(2, '0')}T10:00:00.000Z`,
    publishedBy: 'pat@agents.test',
    ...overrides,
  };
}

export function fakeLiveArticles(list: ArticleRevision[] = [], tree: CategoryTree = { categories: [] }) {
  const live = new Map(list.map((r) => [r.articleId, r]));
  const articles: LiveArticles & { live: typeof live; tree: CategoryTree } = {
    live,
    tree,
    byId: async (id) => live.get(id),
    bySlug: async (slug) => [...live.values()].find((r) => r.slug === slug),
    manyById: async (ids) => new Map(ids.flatMap((id) => (live.has(id) ? [[id, live.get(id)!] as const] : []))),
    ofLocale: async (locale) => [...live.values()].filter((r) => r.locale === locale),
    categories: async () => articles.tree,
  };
  return articles;
}

/** Indexes built straight from a list (what the stored indexes would load). */
export function indexesOf(list: readonly ArticleRevision[]): SearchIndexes & { map: Map<string, LocaleIndex> } {
  const map = new Map<string, LocaleIndex>();
  for (const locale of new Set(list.map((r) => r.locale))) {
    map.set(locale, miniSearchEngine.of(locale, list.filter((r) => r.locale === locale)));
  }
  return { map, current: async () => map };
}

export function fakeFeedbackStore(): FeedbackStore & { recorded: ArticleFeedback[] } {
  const recorded: ArticleFeedback[] = [];
  return { recorded, record: async (f) => void recorded.push(f) };
}

export function fakeCaseTexts(cases: Record<string, CaseText> = {}): CaseTexts {
  return { read: async (id) => cases[id] };
}

/** An in-memory IndexStore with the adapter's contract: a conditional head flip. */
export function fakeIndexStore(): IndexStore & { heads_: Map<string, IndexHead>; blobs: Map<string, string>; saves: number } {
  const heads_ = new Map<string, IndexHead>();
  const blobs = new Map<string, string>();
  let sets = 0;
  const store = {
    heads_,
    blobs,
    saves: 0,
    heads: async () => [...heads_.values()],
    head: async (locale: string) => heads_.get(locale),
    load: async (head: IndexHead) => blobs.get(head.chunkSet),
    async save(locale: string, json: string, articles: number, previous: IndexHead | undefined) {
      const current = heads_.get(locale);
      if (current?.chunkSet !== previous?.chunkSet) return 'conflict' as const;
      sets += 1;
      const chunkSet = `set-${sets}`;
      blobs.set(chunkSet, json);
      heads_.set(locale, { locale, generation: (previous?.generation ?? 0) + 1, format: miniSearchEngine.format, chunkSet, chunks: 1, articles, bytes: json.length, updatedAt: '' });
      store.saves += 1;
      return 'saved' as const;
    },
  };
  return store;
}

/** The help centre's part of KnowledgePorts over in-memory fakes (for tests of the authoring routes, which never reach it). */
export function fakeHelpApp(clock: Clock, ids: IdGenerator, list: ArticleRevision[] = []): HelpApp {
  return {
    help: helpUseCases({ articles: fakeLiveArticles(list), indexes: indexesOf(list), feedback: fakeFeedbackStore(), cases: fakeCaseTexts(), clock, ids }),
    feedbackLimit: { take: async () => ({ allowed: true }) },
    feedbackPage: async () => ({ items: [], nextCursor: null }),
  };
}
