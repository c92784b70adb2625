import { describe, expect, it } from 'vitest';
import { ArticleNotPublishedError, linkArticles, withArticleFooter } from '../../domain/cases/article-links.ts';
import { commentOn } from '../../domain/cases/case.ts';
import { fakePublishedArticles } from '../support/case-fakes.ts';
import { opened } from '../support/case-builders.ts';

// Articles linked to case comments: only published ones, by their public URL, and a public
// comment's body names them so every place that shows the body shows the links.

const live = fakePublishedArticles({ a1: { title: 'Reset your password', slug: 'reset-your-password' }, a2: { title: 'Billing', slug: 'billing' } });

describe('linkArticles', () => {
  it('resolves published ids to title and public URL, in the order given, each once', async () => {
    expect(await linkArticles(live, ['a2', 'a1', 'a2'], 'https://crm.example.com')).toEqual([
      { id: 'a2', title: 'Billing', url: 'https://crm.example.com/help/articles/billing' },
      { id: 'a1', title: 'Reset your password', url: 'https://crm.example.com/help/articles/reset-your-password' },
    ]);
  });

  it('names every id that is not published by its index (422)', async () => {
    const error = await linkArticles(live, ['a1', 'draft', 'a2', 'gone'], 'https://x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArticleNotPublishedError);
    expect((error as ArticleNotPublishedError).issues.map((i) => i.path)).toEqual(['articleIds.1', 'articleIds.3']);
  });
});

describe('comments with articles', () => {
  const links = [{ id: 'a1', title: 'Reset your password', url: 'https://x/help/articles/reset-your-password' }];
  const staff = { id: 'agent-1', type: 'staff' as const };

  it('a public comment ends with a footer of "Title: URL" lines and lists the articles', () => {
    const { comment } = commentOn(opened(), { body: 'Try this.', visibility: 'public' }, staff, 'cm-1', new Date('2025-01-15T10:00:00.000Z'), links);
    expect(comment.body).toBe('Try this.\n\nRelated articles:\n- Reset your password: https://x/help/articles/reset-your-password');
    expect(comment.articles).toEqual(links);
  });

  it('an internal comment keeps its body as written; without links nothing is added', () => {
    const { comment } = commentOn(opened(), { body: 'For us', visibility: 'internal' }, staff, 'cm-1', new Date('2025-01-15T10:00:00.000Z'), links);
    expect(comment).toMatchObject({ body: 'For us', articles: links });
    expect(withArticleFooter('Plain', [])).toBe('Plain');
  });
});
