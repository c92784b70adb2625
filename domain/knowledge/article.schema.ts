import * as z from '#domain/shared/zod.ts';
import { Locale, Tags } from '../customers/customer.schema.ts';

// Knowledge base articles (issue 11). Staff write Markdown drafts; a publisher's publish freezes a
// revision that the public help centre, the search index and case suggestions read. Editing a
// published article changes its working copy only (hasUnpublishedChanges) until the next publish.

export const ARTICLE_STATUSES = ['draft', 'published', 'archived'] as const;
export const ArticleStatus = z.onFirstUse(() => z.enum(ARTICLE_STATUSES));
export type ArticleStatus = z.infer<typeof ArticleStatus>;

export const MAX_ARTICLE_BODY = 100_000;

/** Lowercase words joined by hyphens; also what a title becomes when no slug is given. */
export const Slug = z.onFirstUse(() => z.string().check(z.regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lowercase letters and digits joined by single hyphens'), z.maxLength(120)));
/** A category's id in the tree (PUT /kb/categories). */
export const CategoryId = z.onFirstUse(() => z.string().check(z.regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be 1-64 lowercase letters, digits, - or _')));
const Title = z.onFirstUse(() => z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(200)));
const Body = z.onFirstUse(() => z.string().check(z.maxLength(MAX_ARTICLE_BODY)));

export const ArticleInput = z.onFirstUse(() => z
  .strictObject({
    title: Title,
    body: Body,
    locale: Locale,
    category: z.optional(z.nullable(CategoryId)),
    tags: z.optional(Tags),
    slug: z.optional(Slug),
    /** Only admins and managers may create an article as published (403 otherwise). */
    status: z._default(ArticleStatus, 'draft'),
  })
  .register(z.globalRegistry, { id: 'ArticleInput' }));
export type ArticleInput = z.output<typeof ArticleInput>;

/** JSON merge patch; `status: published` (also again, to publish the working copy) and `archived` are for admins and managers. */
export const ArticlePatch = z.onFirstUse(() => z
  .strictObject({
    title: z.optional(Title),
    body: z.optional(Body),
    locale: z.optional(Locale),
    category: z.optional(z.nullable(CategoryId)),
    tags: z.optional(Tags),
    slug: z.optional(Slug),
    status: z.optional(ArticleStatus),
  })
  .register(z.globalRegistry, { id: 'ArticlePatch' }));
export type ArticlePatch = z.output<typeof ArticlePatch>;

export const ArticleFeedbackCounts = z.onFirstUse(() => z.object({ helpful: z.int(), notHelpful: z.int() }));

/** The staff view: the working copy, with its rendered HTML, and where publishing stands. */
export const Article = z.onFirstUse(() => z
  .object({
    id: z.string(),
    slug: z.string(),
    title: z.string(),
    body: z.string(),
    /** The body rendered from Markdown and sanitised (no script, no event handlers, no javascript: links). */
    html: z.string(),
    locale: z.string(),
    category: z.nullable(z.string()),
    tags: z.array(z.string()),
    status: ArticleStatus,
    /** The published revision the public sees (null: never published). */
    publishedRevision: z.nullable(z.int()),
    publishedAt: z.nullable(z.iso.datetime()),
    /** The working copy differs from the published revision. */
    hasUnpublishedChanges: z.boolean(),
    authorId: z.string(),
    updatedBy: z.string(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    feedback: ArticleFeedbackCounts,
    version: z.int().check(z.positive()),
  })
  .register(z.globalRegistry, { id: 'Article' }));
export type Article = z.infer<typeof Article>;

/** A published revision, kept for good (GET /kb/articles/{id}/versions); the newest is what the public reads. */
export const ArticleRevision = z.onFirstUse(() => z
  .object({
    articleId: z.string(),
    revision: z.int().check(z.positive()),
    slug: z.string(),
    title: z.string(),
    body: z.string(),
    html: z.string(),
    locale: z.string(),
    category: z.nullable(z.string()),
    tags: z.array(z.string()),
    publishedAt: z.iso.datetime(),
    publishedBy: z.string(),
  })
  .register(z.globalRegistry, { id: 'ArticleRevision' }));
export type ArticleRevision = z.infer<typeof ArticleRevision>;

/** What the public reads (GET /help/articles/{id or slug}): the published revision, no Markdown source, no staff fields. */
export const HelpArticle = z.onFirstUse(() => z
  .object({
    id: z.string(),
    slug: z.string(),
    title: z.string(),
    html: z.string(),
    locale: z.string(),
    category: z.nullable(z.string()),
    tags: z.array(z.string()),
    revision: z.int(),
    publishedAt: z.iso.datetime(),
    /** Its public URL (the help centre page). */
    url: z.string(),
  })
  .register(z.globalRegistry, { id: 'HelpArticle' }));
export type HelpArticle = z.infer<typeof HelpArticle>;

export interface CategoryNode {
  id: string;
  name: string;
  description?: string | undefined;
  children?: CategoryNode[] | undefined;
}

export const MAX_CATEGORY_DEPTH = 3;
export const MAX_CATEGORIES = 200;

export const CategoryNodeSchema: z.ZodMiniType<CategoryNode> = z.onFirstUse(() => z.strictObject({
  id: CategoryId,
  name: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
  description: z.optional(z.string().check(z.maxLength(500))),
  get children() {
    return z.optional(z.array(CategoryNodeSchema).check(z.maxLength(MAX_CATEGORIES)));
  },
}).register(z.globalRegistry, { id: 'CategoryNode' }));

/** PUT /kb/categories body and GET answer: the whole tree (ids unique, depth at most 3). */
export const CategoryTree = z.onFirstUse(() => z
  .strictObject({ categories: z.array(CategoryNodeSchema).check(z.maxLength(MAX_CATEGORIES)) })
  .register(z.globalRegistry, { id: 'CategoryTree' }));
export type CategoryTree = z.infer<typeof CategoryTree>;

/** One search hit (public search and case suggestions): snippets are HTML with the matched terms in <mark>. */
export const SearchHit = z.onFirstUse(() => z
  .object({
    id: z.string(),
    slug: z.string(),
    title: z.string(),
    locale: z.string(),
    category: z.nullable(z.string()),
    url: z.string(),
    score: z.number(),
    snippet: z.object({ title: z.string(), body: z.string() }),
  })
  .register(z.globalRegistry, { id: 'SearchHit' }));
export type SearchHit = z.infer<typeof SearchHit>;

export const FeedbackInput = z.onFirstUse(() => z
  .strictObject({ helpful: z.boolean(), comment: z.optional(z.string().check(z.trim(), z.maxLength(1000))) })
  .register(z.globalRegistry, { id: 'FeedbackInput' }));
export type FeedbackInput = z.output<typeof FeedbackInput>;

/** A reader's feedback as staff read it: no reader identity, no address, nothing personal beyond what the comment says. */
export const ArticleFeedback = z.onFirstUse(() => z
  .object({ id: z.string(), articleId: z.string(), revision: z.nullable(z.int()), helpful: z.boolean(), comment: z.nullable(z.string()), at: z.iso.datetime() })
  .register(z.globalRegistry, { id: 'ArticleFeedback' }));
export type ArticleFeedback = z.infer<typeof ArticleFeedback>;
