import { describe, expect, it } from 'vitest';
import { ArticleStatusMoveError, createArticle, deleteArticle, patchArticle, slugMoves, slugsHeld, type ArticleRecord } from '../../domain/knowledge/article.ts';
import type { ArticleInput, ArticleRevision } from '../../domain/knowledge/article.schema.ts';
import { ForbiddenActionError } from '../../domain/shared/errors.ts';

// The publishing state machine: who may publish, what a publish freezes, what editing a published
// article changes (the working copy only), and the events each move causes.

const T0 = new Date('2025-03-01T10:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const agent = { id: 'agent-1', roles: ['agent'] };
const manager = { id: 'manager-1', roles: ['manager'] };
const input = (over: Partial<ArticleInput> = {}): ArticleInput => ({ title: 'Reset your password', body: 'Click **reset**.', locale: 'en-GB', status: 'draft', ...over });
const draft = () => createArticle(input(), { id: 'a1', slug: 'reset-your-password', html: '<p>Click <strong>reset</strong>.</p>', actor: agent, now: T0 }).article;
const summary = (events: { definition: { detailType: string }; data: unknown }[]) => events.map((e) => [e.definition.detailType, e.data]);
const liveOf = (a: ArticleRecord): ArticleRevision => ({
  articleId: a.id, revision: a.publishedRevision!, slug: a.slug, title: a.title, body: a.body, html: a.html, locale: a.locale, category: a.category, tags: a.tags, publishedAt: a.publishedAt!, publishedBy: manager.id,
});
const publishedArticle = () => patchArticle(draft(), { status: 'published' }, { actor: manager, now: at(1), live: undefined })!.article;

describe('creating', () => {
  it('a draft: version 1, never published, no events', () => {
    const change = createArticle(input({ tags: ['login'] }), { id: 'a1', slug: 'reset-your-password', html: '<p>x</p>', actor: agent, now: T0 });
    expect(change.article).toMatchObject({ id: 'a1', status: 'draft', version: 1, publishedRevision: null, publishedAt: null, hasUnpublishedChanges: false, authorId: 'agent-1', updatedBy: 'agent-1', category: null, tags: ['login'] });
    expect(change.published).toBeUndefined();
    expect(change.events).toEqual([]);
  });

  it('published by a manager: revision 1 goes live with ArticlePublished; by an agent it is forbidden', () => {
    const change = createArticle(input({ status: 'published' }), { id: 'a1', slug: 's', html: '<p>x</p>', actor: manager, now: T0 });
    expect(change.article).toMatchObject({ status: 'published', publishedRevision: 1, publishedAt: T0.toISOString(), hasUnpublishedChanges: false });
    expect(change.published).toMatchObject({ articleId: 'a1', revision: 1, slug: 's', html: '<p>x</p>', publishedBy: 'manager-1' });
    expect(summary(change.events)).toEqual([['ArticlePublished', { articleId: 'a1', revision: 1, locale: 'en-GB', slug: 's' }]]);
    expect(() => createArticle(input({ status: 'published' }), { id: 'a1', slug: 's', html: '', actor: agent, now: T0 })).toThrow(ForbiddenActionError);
    expect(() => createArticle(input({ status: 'archived' }), { id: 'a1', slug: 's', html: '', actor: agent, now: T0 })).toThrow(ForbiddenActionError);
  });
});

describe('editing and publishing', () => {
  it('an agent edits a draft: a new version, still unpublished, no events', () => {
    const change = patchArticle(draft(), { title: 'Reset it', body: 'New', tags: ['a'] }, { html: '<p>New</p>', actor: agent, now: at(5), live: undefined })!;
    expect(change.article).toMatchObject({ title: 'Reset it', body: 'New', html: '<p>New</p>', version: 2, updatedBy: 'agent-1', updatedAt: at(5).toISOString(), hasUnpublishedChanges: false, status: 'draft' });
    expect(change.events).toEqual([]);
  });

  it('a patch that changes nothing is no change at all (no new version)', () => {
    expect(patchArticle(draft(), { title: 'Reset your password' }, { actor: agent, now: at(5), live: undefined })).toBeUndefined();
    const published = publishedArticle();
    expect(patchArticle(published, { status: 'published' }, { actor: manager, now: at(5), live: liveOf(published) })).toBeUndefined();
  });

  it('only admins and managers publish and archive', () => {
    expect(() => patchArticle(draft(), { status: 'published' }, { actor: agent, now: at(1), live: undefined })).toThrow(ForbiddenActionError);
    expect(() => patchArticle(draft(), { status: 'archived' }, { actor: agent, now: at(1), live: undefined })).toThrow(ForbiddenActionError);
    expect(patchArticle(draft(), { status: 'published' }, { actor: { id: 'root', roles: ['admin'] }, now: at(1), live: undefined })?.article.status).toBe('published');
  });

  it('editing a published article changes the working copy only; publishing again freezes revision 2', () => {
    const published = publishedArticle();
    const edited = patchArticle(published, { body: 'Changed' }, { html: '<p>Changed</p>', actor: agent, now: at(2), live: liveOf(published) })!;
    expect(edited.article).toMatchObject({ status: 'published', publishedRevision: 1, hasUnpublishedChanges: true, body: 'Changed' });
    expect(edited.published).toBeUndefined();
    expect(edited.events).toEqual([]);

    const again = patchArticle(edited.article, { status: 'published' }, { actor: manager, now: at(3), live: liveOf(published) })!;
    expect(again.article).toMatchObject({ publishedRevision: 2, publishedAt: at(3).toISOString(), hasUnpublishedChanges: false, version: published.version + 2 });
    expect(again.published).toMatchObject({ revision: 2, body: 'Changed', html: '<p>Changed</p>' });
    expect(summary(again.events)).toEqual([['ArticlePublished', { articleId: 'a1', revision: 2, locale: 'en-GB', slug: 'reset-your-password' }]]);
  });

  it('publishing in another locale withdraws the old locale first', () => {
    const published = publishedArticle();
    const moved = patchArticle(published, { locale: 'de-DE', status: 'published' }, { actor: manager, now: at(2), live: liveOf(published) })!;
    expect(summary(moved.events)).toEqual([
      ['ArticleWithdrawn', { articleId: 'a1', locale: 'en-GB', reason: 'locale_changed' }],
      ['ArticlePublished', { articleId: 'a1', revision: 2, locale: 'de-DE', slug: 'reset-your-password' }],
    ]);
  });

  it('archiving withdraws the LIVE copy; archived goes back to published as a new revision, or to draft', () => {
    const published = publishedArticle();
    const archived = patchArticle(published, { status: 'archived' }, { actor: manager, now: at(2), live: liveOf(published) })!;
    expect(archived.withdrawn).toBe(true);
    expect(archived.article).toMatchObject({ status: 'archived', publishedRevision: 1 });
    expect(summary(archived.events)).toEqual([['ArticleWithdrawn', { articleId: 'a1', locale: 'en-GB', reason: 'archived' }]]);

    const back = patchArticle(archived.article, { status: 'published' }, { actor: manager, now: at(3), live: undefined })!;
    expect(back.article).toMatchObject({ status: 'published', publishedRevision: 2 });
    expect(summary(back.events)).toEqual([['ArticlePublished', { articleId: 'a1', revision: 2, locale: 'en-GB', slug: 'reset-your-password' }]]);

    const reworked = patchArticle(archived.article, { status: 'draft' }, { actor: agent, now: at(3), live: undefined })!;
    expect(reworked.article.status).toBe('draft');
    expect(reworked.events).toEqual([]);
  });

  it('archiving a draft withdraws nothing', () => {
    const archived = patchArticle(draft(), { status: 'archived' }, { actor: manager, now: at(2), live: undefined })!;
    expect(archived).toMatchObject({ withdrawn: false, events: [] });
  });

  it('a published article does not go back to draft (409): archiving withdraws it', () => {
    expect(() => patchArticle(publishedArticle(), { status: 'draft' }, { actor: manager, now: at(2), live: undefined })).toThrow(ArticleStatusMoveError);
  });

  it('a merge patch with category null clears the category', () => {
    const categorised = patchArticle(draft(), { category: 'billing' }, { actor: agent, now: at(1), live: undefined })!.article;
    expect(patchArticle(categorised, { category: null }, { actor: agent, now: at(2), live: undefined })!.article.category).toBeNull();
  });
});

describe('deleting', () => {
  it('an agent may delete what was never published; what was ever published only a publisher, with ArticleWithdrawn when live', () => {
    expect(deleteArticle(draft(), agent, undefined)).toEqual([]);
    const published = publishedArticle();
    expect(() => deleteArticle(published, agent, liveOf(published))).toThrow(ForbiddenActionError);
    expect(summary(deleteArticle(published, manager, liveOf(published)))).toEqual([['ArticleWithdrawn', { articleId: 'a1', locale: 'en-GB', reason: 'deleted' }]]);
    const archived = patchArticle(published, { status: 'archived' }, { actor: manager, now: at(2), live: liveOf(published) })!.article;
    expect(() => deleteArticle(archived, agent, undefined)).toThrow(ForbiddenActionError);
    expect(deleteArticle(archived, manager, undefined)).toEqual([]);
  });
});

describe('slug pointers', () => {
  it('a new article reserves its slug; renaming a draft moves the pointer', () => {
    const created = createArticle(input(), { id: 'a1', slug: 'reset', html: '', actor: agent, now: T0 });
    expect(slugMoves(undefined, undefined, created)).toEqual({ reserve: ['reset'], release: [] });
    const renamed = patchArticle(created.article, { slug: 'renamed' }, { actor: agent, now: at(1), live: undefined })!;
    expect(slugMoves(created.article, undefined, renamed)).toEqual({ reserve: ['renamed'], release: ['reset'] });
  });

  it('a published article keeps its public slug until the rename is published, or until it is archived', () => {
    const published = publishedArticle();
    const live = liveOf(published);
    const renamed = patchArticle(published, { slug: 'renamed' }, { actor: agent, now: at(2), live })!;
    expect(slugMoves(published, live, renamed)).toEqual({ reserve: ['renamed'], release: [] });
    expect(slugsHeld(renamed.article, live)).toEqual(['renamed', 'reset-your-password']);
    const republished = patchArticle(renamed.article, { status: 'published' }, { actor: manager, now: at(3), live })!;
    expect(slugMoves(renamed.article, live, republished)).toEqual({ reserve: [], release: ['reset-your-password'] });
    const archived = patchArticle(renamed.article, { status: 'archived' }, { actor: manager, now: at(3), live })!;
    expect(slugMoves(renamed.article, live, archived)).toEqual({ reserve: [], release: ['reset-your-password'] });
  });
});
