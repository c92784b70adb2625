import type { Page } from '../customers/customer.repository.ts';
import { ConcurrentUpdateError, ConflictError, StaleVersionError } from '../shared/errors.ts';
import type { Actor, Clock, CommandContext, IdGenerator } from '../shared/ports.ts';
import { ArticleNotFoundError, type ArticleRecord, checkStoredSize, createArticle, deleteArticle, patchArticle, SlugTakenError, slugMoves, slugsHeld, UnknownCategoryError } from './article.ts';
import type { ArticleQuery, ArticleRepository, CategoryRepository, MarkdownRenderer } from './article.ports.ts';
import type { Article, ArticleInput, ArticlePatch, ArticleRevision, CategoryTree } from './article.schema.ts';
import { categoryIds, checkCategoryTree } from './category-tree.ts';
import { slugCandidate, slugify } from './slug.ts';

export interface KnowledgeDeps {
  readonly articles: ArticleRepository;
  readonly categories: CategoryRepository;
  readonly renderer: MarkdownRenderer;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** Derived slugs tried on create (`base`, `base-2`, ...) before giving up with 409. */
const SLUG_ATTEMPTS = 50;
/** Lost races (without If-Match) retried from a fresh read. */
const MAX_ATTEMPTS = 10;
const NO_FEEDBACK = { helpful: 0, notHelpful: 0 };

export class CategoryInUseError extends ConflictError {
  override readonly code = 'category-in-use';
  constructor(uses: ReadonlyMap<string, number>) {
    const list = [...uses].map(([id, n]) => `${id} (${n} article${n === 1 ? '' : 's'})`).join(', ');
    super(`Articles still use categories the new tree leaves out: ${list}. Move those articles first.`);
  }
}

export function knowledgeUseCases({ articles, categories, renderer, clock, ids }: KnowledgeDeps) {
  async function load(id: string): Promise<Article> {
    const found = await articles.get(id);
    if (!found) throw new ArticleNotFoundError(id);
    return found;
  }

  async function checkCategory(category: string | null | undefined) {
    if (category === null || category === undefined) return;
    if (!categoryIds((await categories.get()).tree).includes(category)) throw new UnknownCategoryError(category);
  }

  const withoutFeedback = ({ feedback: _, ...record }: Article): ArticleRecord => record;

  return {
    /**
     * flow: 1. the category exists 2. render 3. try the slug (a derived one moves on to -2, -3... when
     * taken; a given one is 409) 4. one transaction: article, slug, revision and LIVE if published, events.
     */
    async create(input: ArticleInput, actor: Actor, context: CommandContext): Promise<Article> {
      await checkCategory(input.category);
      const html = await renderer.toHtml(input.body);
      checkStoredSize(input.body, html);
      const id = ids.next();
      const base = input.slug ?? slugify(input.title);
      for (let n = 1; n <= (input.slug ? 1 : SLUG_ATTEMPTS); n++) {
        const slug = slugCandidate(base, n);
        const change = createArticle(input, { id, slug, html, actor, now: clock.now() });
        const saved = await articles.save(change, undefined, slugMoves(undefined, undefined, change), context);
        if ('article' in saved) return { ...saved.article, feedback: NO_FEEDBACK };
        if (saved.refused === 'category-gone') throw new UnknownCategoryError(input.category!);
        if (saved.refused !== 'slug-taken') throw new ConcurrentUpdateError();
      }
      throw new SlugTakenError(base);
    },

    get: load,
    list: (query: ArticleQuery): Promise<Page<Article>> => articles.list(query),

    /** flow: 1. read 2. If-Match 3. the state machine 4. conditional write; a lost race without If-Match starts over. */
    async patch(id: string, patch: ArticlePatch, ifMatch: number | undefined, actor: Actor, context: CommandContext): Promise<Article> {
      const html = patch.body !== undefined ? await renderer.toHtml(patch.body) : undefined;
      if (patch.body !== undefined) checkStoredSize(patch.body, html!);
      for (let attempt = 1; ; attempt++) {
        const current = await load(id);
        if (ifMatch !== undefined && ifMatch !== current.version) throw new StaleVersionError(ifMatch, current.version);
        if (attempt === 1 && patch.category !== current.category) await checkCategory(patch.category);
        const live = current.status === 'published' ? await articles.live(id) : undefined;
        const change = patchArticle(withoutFeedback(current), patch, { ...(html !== undefined ? { html } : {}), actor, now: clock.now(), live });
        if (!change) return current;
        const saved = await articles.save(change, withoutFeedback(current), slugMoves(withoutFeedback(current), live, change), context);
        if ('article' in saved) return { ...saved.article, feedback: current.feedback };
        if (saved.refused === 'slug-taken') throw new SlugTakenError(change.article.slug);
        if (saved.refused === 'category-gone') throw new UnknownCategoryError(change.article.category!);
        if (ifMatch !== undefined) throw new StaleVersionError(ifMatch);
        if (attempt >= MAX_ATTEMPTS) throw new ConcurrentUpdateError();
      }
    },

    async remove(id: string, ifMatch: number | undefined, actor: Actor, context: CommandContext): Promise<void> {
      for (let attempt = 1; ; attempt++) {
        const current = await load(id);
        if (ifMatch !== undefined && ifMatch !== current.version) throw new StaleVersionError(ifMatch, current.version);
        const live = current.status === 'published' ? await articles.live(id) : undefined;
        const events = deleteArticle(withoutFeedback(current), actor, live);
        if (await articles.remove(withoutFeedback(current), slugsHeld(current, live), events, context)) return;
        if (ifMatch !== undefined) throw new StaleVersionError(ifMatch);
        if (attempt >= MAX_ATTEMPTS) throw new ConcurrentUpdateError();
      }
    },

    async versions(id: string, query: { limit: number; cursor?: string | undefined }): Promise<Page<ArticleRevision>> {
      await load(id);
      return articles.revisions(id, query);
    },

    categories: async (): Promise<CategoryTree> => (await categories.get()).tree,

    /** flow: 1. the tree's own rules 2. no category that articles use disappears 3. write if the tree did not move meanwhile. */
    async putCategories(tree: CategoryTree): Promise<CategoryTree> {
      checkCategoryTree(tree);
      const kept = new Set(categoryIds(tree));
      for (let attempt = 1; ; attempt++) {
        const current = await categories.get();
        const dropped = categoryIds(current.tree).filter((id) => !kept.has(id));
        const uses = dropped.length > 0 ? await categories.usage(dropped) : new Map<string, number>();
        if (uses.size > 0) throw new CategoryInUseError(uses);
        if (await categories.replace(tree, current.version)) return tree;
        if (attempt >= MAX_ATTEMPTS) throw new ConcurrentUpdateError();
      }
    },
  };
}

export type KnowledgeUseCases = ReturnType<typeof knowledgeUseCases>;
