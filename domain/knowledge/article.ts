import { ArticlePublished } from '#events/article-published.event.ts';
import { ArticleWithdrawn } from '#events/article-withdrawn.event.ts';
import type { DomainEvent } from '#events/define-event.ts';
import { ConflictError, ForbiddenActionError, NotFoundError, UnprocessableError, ValidationError } from '../shared/errors.ts';
import type { Actor } from '../shared/ports.ts';
import type { Article, ArticleInput, ArticlePatch, ArticleRevision, ArticleStatus } from './article.schema.ts';

// The article entity: the working copy, and the publishing state machine.
//   draft ─publish─▶ published ─archive─▶ archived ─publish─▶ published (a new revision)
//   published ─publish again─▶ published (a new revision of the working copy, if it changed)
//   archived ─▶ draft (back to work); published ─▶ draft is refused (archive withdraws it)
// Publishing freezes a revision (REV#n, kept for good) and makes it the LIVE copy the public reads;
// editing a published article changes the working copy only, until the next publish.

/** The article as stored: everything but the feedback counts (which live in an item of their own). */
export type ArticleRecord = Omit<Article, 'feedback'>;

/** Roles that may publish, republish and archive, and delete what was ever published. */
const PUBLISHERS: readonly string[] = ['admin', 'manager'];
export const canPublish = (actor: Actor) => actor.roles.some((role) => PUBLISHERS.includes(role));

/** What one command changes: the working copy, maybe a revision that goes LIVE or a LIVE copy that goes, and the events. */
export interface ArticleChange {
  readonly article: ArticleRecord;
  /** Written as REV#<revision> and as LIVE. */
  readonly published?: ArticleRevision;
  /** LIVE is deleted (archived). */
  readonly withdrawn: boolean;
  readonly events: DomainEvent[];
}

/**
 * Body and rendered HTML together, as JSON (the idempotency record holds them that way), at most:
 * the working copy, a revision and the LIVE copy each hold both, and a DynamoDB item takes 400 KB.
 * A Markdown body within its 100,000 characters can still render far larger (every `<` becomes `&lt;`).
 */
export const MAX_STORED_ARTICLE_BYTES = 300_000;

export function checkStoredSize(body: string, html: string): void {
  const bytes = new TextEncoder().encode(JSON.stringify({ body, html })).length;
  if (bytes > MAX_STORED_ARTICLE_BYTES) {
    throw new ValidationError('The body is too large once rendered.', [
      { path: 'body', message: `with its rendered HTML takes ${bytes} bytes; at most ${MAX_STORED_ARTICLE_BYTES}` },
    ]);
  }
}

export class ArticleNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(`No article with id ${id}.`);
  }
}

export class SlugTakenError extends ConflictError {
  override readonly code = 'slug-taken';
  constructor(slug: string) {
    super(`The slug ${slug} belongs to another article; choose another or leave it out to derive one from the title.`);
  }
}

export class UnknownCategoryError extends UnprocessableError {
  override readonly code = 'unknown-category';
  constructor(category: string) {
    super(`No category ${category} in the tree (category); PUT /kb/categories defines them.`);
  }
}

export class ArticleStatusMoveError extends ConflictError {
  override readonly code = 'status-move';
  constructor(from: ArticleStatus, to: ArticleStatus) {
    super(`An article cannot move from ${from} to ${to}; archive a published article to withdraw it.`);
  }
}

class PublisherOnlyError extends ForbiddenActionError {
  constructor(what: string) {
    super(`Only admins and managers may ${what}.`);
  }
}

export interface NewArticle {
  readonly id: string;
  readonly slug: string;
  readonly html: string;
  readonly actor: Actor;
  readonly now: Date;
}

export function createArticle(input: ArticleInput, { id, slug, html, actor, now }: NewArticle): ArticleChange {
  if (input.status !== 'draft' && !canPublish(actor)) throw new PublisherOnlyError(`create an article as ${input.status}`);
  const at = now.toISOString();
  const draft: ArticleRecord = {
    id,
    slug,
    title: input.title,
    body: input.body,
    html,
    locale: input.locale,
    category: input.category ?? null,
    tags: input.tags ?? [],
    status: 'draft',
    publishedRevision: null,
    publishedAt: null,
    hasUnpublishedChanges: false,
    authorId: actor.id,
    updatedBy: actor.id,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  if (input.status === 'published') return publish(draft, undefined, actor, now);
  return { article: { ...draft, status: input.status }, withdrawn: false, events: [] };
}

export interface ArticleEdit {
  /** The patched body rendered, when the patch changes the body. */
  readonly html?: string;
  readonly actor: Actor;
  readonly now: Date;
  /** The LIVE copy, while the article is published (its locale is the one the public index holds). */
  readonly live: ArticleRevision | undefined;
}

const CONTENT = ['title', 'body', 'locale', 'category', 'tags', 'slug'] as const;

/** A JSON merge patch of the working copy; undefined when it changes nothing (no write, no new version). */
export function patchArticle(current: ArticleRecord, patch: ArticlePatch, { html, actor, now, live }: ArticleEdit): ArticleChange | undefined {
  const to = patch.status ?? current.status;
  if (patch.status === 'published' && !canPublish(actor)) throw new PublisherOnlyError('publish an article');
  if (patch.status === 'archived' && !canPublish(actor)) throw new PublisherOnlyError('archive an article');
  if (current.status === 'published' && to === 'draft') throw new ArticleStatusMoveError(current.status, to);

  const content = { ...pick(current), ...definedOf(patch), ...(html !== undefined && patch.body !== undefined ? { html } : {}) };
  const changed = CONTENT.some((field) => JSON.stringify(content[field]) !== JSON.stringify(current[field]));
  // Publishing again makes a new revision only when there is something new to show.
  const publishing = patch.status === 'published' && (current.status !== 'published' || current.hasUnpublishedChanges || changed);
  if (!changed && to === current.status && !publishing) return undefined;

  const next: ArticleRecord = {
    ...current,
    ...content,
    status: to,
    hasUnpublishedChanges: current.hasUnpublishedChanges || (changed && current.publishedRevision !== null),
    updatedBy: actor.id,
    updatedAt: now.toISOString(),
    version: current.version + 1,
  };
  if (publishing) return publish(next, current.status === 'published' ? live : undefined, actor, now);
  if (to === 'archived' && current.status === 'published') {
    return { article: next, withdrawn: true, events: [ArticleWithdrawn.of({ articleId: current.id, locale: live?.locale ?? current.locale, reason: 'archived' })] };
  }
  return { article: next, withdrawn: false, events: [] };
}

/** The events of deleting an article (a published one leaves the help centre); a publisher's decision once it was ever published. */
export function deleteArticle(current: ArticleRecord, actor: Actor, live: ArticleRevision | undefined): DomainEvent[] {
  if (current.publishedRevision !== null && !canPublish(actor)) throw new PublisherOnlyError('delete an article that was published');
  if (current.status !== 'published') return [];
  return [ArticleWithdrawn.of({ articleId: current.id, locale: live?.locale ?? current.locale, reason: 'deleted' })];
}

/** Freezes the working copy as the next revision; a LIVE copy in another locale leaves that locale's index. */
function publish(article: ArticleRecord, live: ArticleRevision | undefined, actor: Actor, now: Date): ArticleChange {
  const at = now.toISOString();
  const revision = (article.publishedRevision ?? 0) + 1;
  const published: ArticleRevision = {
    articleId: article.id,
    revision,
    slug: article.slug,
    title: article.title,
    body: article.body,
    html: article.html,
    locale: article.locale,
    category: article.category,
    tags: article.tags,
    publishedAt: at,
    publishedBy: actor.id,
  };
  const moved = live !== undefined && live.locale !== article.locale;
  return {
    article: { ...article, status: 'published', publishedRevision: revision, publishedAt: at, hasUnpublishedChanges: false },
    published,
    withdrawn: false,
    events: [
      ...(moved ? [ArticleWithdrawn.of({ articleId: article.id, locale: live.locale, reason: 'locale_changed' })] : []),
      ArticlePublished.of({ articleId: article.id, revision, locale: article.locale, slug: article.slug }),
    ],
  };
}

/** Slug pointers an article holds: its working copy's slug and, while published, the LIVE copy's (its public URL). */
export const slugsHeld = (article: ArticleRecord | undefined, live: ArticleRevision | undefined): string[] =>
  [...new Set([...(article ? [article.slug] : []), ...(live ? [live.slug] : [])])];

/** Pointers a change takes (a new working slug) and gives up (a slug no copy uses any more). */
export interface SlugMoves {
  readonly reserve: readonly string[];
  readonly release: readonly string[];
}

/**
 * A renamed published article keeps its public slug until the next publish (links to it keep
 * working); publishing or archiving gives up a slug that only the old LIVE copy used.
 */
export function slugMoves(previous: ArticleRecord | undefined, live: ArticleRevision | undefined, change: ArticleChange): SlugMoves {
  const before = slugsHeld(previous, live);
  const after = slugsHeld(change.article, change.published ?? (change.withdrawn ? undefined : live));
  return { reserve: after.filter((s) => !before.includes(s)), release: before.filter((s) => !after.includes(s)) };
}

const pick = (a: ArticleRecord) => ({ title: a.title, body: a.body, html: a.html, locale: a.locale, category: a.category, tags: a.tags, slug: a.slug });

/** The patch's content fields that are present (a merge patch's `category: null` clears the category). */
function definedOf(patch: ArticlePatch): Partial<ReturnType<typeof pick>> {
  const out: Partial<ReturnType<typeof pick>> = {};
  if (patch.title !== undefined) out.title = patch.title;
  if (patch.body !== undefined) out.body = patch.body;
  if (patch.locale !== undefined) out.locale = patch.locale;
  if (patch.category !== undefined) out.category = patch.category;
  if (patch.tags !== undefined) out.tags = patch.tags;
  if (patch.slug !== undefined) out.slug = patch.slug;
  return out;
}
