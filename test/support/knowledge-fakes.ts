import type { ArticleRepository, CategoryRepository } from '../../domain/knowledge/article.ports.ts';
import type { ArticleRecord } from '../../domain/knowledge/article.ts';
import type { ArticleRevision, CategoryTree } from '../../domain/knowledge/article.schema.ts';
import { categoryIds } from '../../domain/knowledge/category-tree.ts';
import type { DomainEvent } from '../../events/define-event.ts';

// In-memory knowledge repositories with the conditions the DynamoDB adapter enforces: a slug
// belongs to one article, a write lands only on the version it read, a category must be in the tree.

export interface FakeKnowledge {
  readonly articles: ArticleRepository;
  readonly categories: CategoryRepository;
  readonly stored: Map<string, ArticleRecord>;
  readonly live: Map<string, ArticleRevision>;
  readonly revisions: Map<string, ArticleRevision[]>;
  readonly slugs: Map<string, string>;
  readonly events: DomainEvent[];
}

export function fakeKnowledge(): FakeKnowledge {
  const stored = new Map<string, ArticleRecord>();
  const live = new Map<string, ArticleRevision>();
  const revisions = new Map<string, ArticleRevision[]>();
  const slugs = new Map<string, string>();
  const claims = new Map<string, { fingerprint: string; article: ArticleRecord }>();
  const events: DomainEvent[] = [];
  let tree: CategoryTree = { categories: [] };
  let treeVersion = 0;
  const counts = { helpful: 0, notHelpful: 0 };
  const page = <T>(items: T[], limit: number, cursor?: string) => {
    const start = cursor ? Number(cursor) : 0;
    return { items: items.slice(start, start + limit), nextCursor: start + limit < items.length ? String(start + limit) : null };
  };

  const articles: ArticleRepository = {
    async get(id) {
      const a = stored.get(id);
      return a ? { ...a, feedback: counts } : undefined;
    },
    live: async (id) => live.get(id),
    async list({ limit, cursor, status, locale, category }) {
      const all = [...stored.values()]
        .filter((a) => (!status || a.status === status) && (!locale || a.locale === locale) && (!category || a.category === category))
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))
        .map((a) => ({ ...a, feedback: counts }));
      return page(all, limit, cursor);
    },
    revisions: async (id, { limit, cursor }) => page([...(revisions.get(id) ?? [])].reverse(), limit, cursor),
    async save(change, previous, moves, context) {
      const { article, published } = change;
      const claim = previous ? undefined : context.idempotency;
      if (claim) {
        const first = claims.get(`${claim.scope}|${claim.key}`);
        if (first) return { article: first.article, replayed: true };
      }
      if (previous ? stored.get(article.id)?.version !== previous.version : stored.has(article.id)) return { refused: 'version-moved' };
      if (moves.reserve.some((slug) => (slugs.get(slug) ?? article.id) !== article.id)) return { refused: 'slug-taken' };
      if (article.category !== null && article.category !== previous?.category && !categoryIds(tree).includes(article.category)) return { refused: 'category-gone' };
      for (const slug of moves.release) slugs.delete(slug);
      for (const slug of moves.reserve) slugs.set(slug, article.id);
      stored.set(article.id, article);
      if (published) {
        revisions.set(article.id, [...(revisions.get(article.id) ?? []), published]);
        live.set(article.id, published);
      }
      if (change.withdrawn) live.delete(article.id);
      events.push(...change.events);
      if (claim) claims.set(`${claim.scope}|${claim.key}`, { fingerprint: claim.fingerprint, article });
      return { article, replayed: false };
    },
    async remove(previous, held, removed) {
      if (stored.get(previous.id)?.version !== previous.version) return false;
      stored.delete(previous.id);
      live.delete(previous.id);
      revisions.delete(previous.id);
      for (const slug of held) slugs.delete(slug);
      events.push(...removed);
      return true;
    },
  };

  const categories: CategoryRepository = {
    get: async () => ({ tree, version: treeVersion }),
    async replace(next, expectedVersion) {
      if (expectedVersion !== treeVersion) return false;
      tree = next;
      treeVersion++;
      return true;
    },
    async usage(ids) {
      const uses = new Map<string, number>();
      for (const a of stored.values()) if (a.category && ids.includes(a.category)) uses.set(a.category, (uses.get(a.category) ?? 0) + 1);
      return uses;
    },
  };

  return { articles, categories, stored, live, revisions, slugs, events };
}
