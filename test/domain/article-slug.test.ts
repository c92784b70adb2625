import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CategoryTree, Slug } from '../../domain/knowledge/article.schema.ts';
import { categoryIds, checkCategoryTree } from '../../domain/knowledge/category-tree.ts';
import { FALLBACK_SLUG, MAX_SLUG_LENGTH, slugCandidate, slugify } from '../../domain/knowledge/slug.ts';
import { ValidationError } from '../../domain/shared/errors.ts';

describe('slugify', () => {
  it.each([
    ['Reset your password', 'reset-your-password'],
    ['  Ändern Sie Ihre Rechnungsadresse!  ', 'andern-sie-ihre-rechnungsadresse'],
    ['Straße & Größe', 'strasse-grosse'],
    ['Ça coûte combien ? Œuvre', 'ca-coute-combien-oeuvre'],
    ['Łódź, Øresund, Æsir', 'lodz-oresund-aesir'],
    ['Version 2.0 -- what\'s new', 'version-2-0-what-s-new'],
    ['パスワード', FALLBACK_SLUG],
    ['---', FALLBACK_SLUG],
  ])('%s -> %s', (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });

  it('cuts long titles at 120 characters without a trailing hyphen', () => {
    const slug = slugify(`${'word '.repeat(40)}end`);
    expect(slug.length).toBeLessThanOrEqual(MAX_SLUG_LENGTH);
    expect(slug.endsWith('-')).toBe(false);
  });

  it('property: every title becomes a valid slug, and so does every numbered candidate', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.integer({ min: 1, max: 999 }), (title, n) => {
        expect(Slug.safeParse(slugify(title)).success).toBe(true);
        expect(Slug.safeParse(slugCandidate(slugify(title), n)).success).toBe(true);
      }),
    );
  });
});

describe('slugCandidate', () => {
  it('numbers from 2 and keeps the suffix within the limit', () => {
    expect([1, 2, 3].map((n) => slugCandidate('reset', n))).toEqual(['reset', 'reset-2', 'reset-3']);
    const long = 'a'.repeat(120);
    expect(slugCandidate(long, 12)).toBe(`${'a'.repeat(117)}-12`);
  });
});

describe('category tree', () => {
  it('lists every id depth first', () => {
    expect(categoryIds({ categories: [{ id: 'a', name: 'A', children: [{ id: 'b', name: 'B' }] }, { id: 'c', name: 'C' }] })).toEqual(['a', 'b', 'c']);
  });

  it('accepts three levels and refuses a fourth and repeated ids, naming their paths', () => {
    const three = { categories: [{ id: 'a', name: 'A', children: [{ id: 'b', name: 'B', children: [{ id: 'c', name: 'C' }] }] }] };
    expect(() => checkCategoryTree(three)).not.toThrow();
    const four = { categories: [{ id: 'a', name: 'A', children: [{ id: 'b', name: 'B', children: [{ id: 'c', name: 'C', children: [{ id: 'd', name: 'D' }] }] }] }] };
    const repeated = { categories: [{ id: 'a', name: 'A' }, { id: 'x', name: 'X', children: [{ id: 'a', name: 'A again' }] }] };
    const issues = (tree: CategoryTree) => {
      try {
        checkCategoryTree(tree);
        return [];
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return (error as ValidationError).issues.map((i) => i.path);
      }
    };
    expect(issues(four)).toEqual(['categories.0.children.0.children.0.children']);
    expect(issues(repeated)).toEqual(['categories.1.children.0.id']);
  });

  it('refuses more than 200 categories in all', () => {
    const wide = { categories: Array.from({ length: 10 }, (_, i) => ({ id: `p${i}`, name: 'P', children: Array.from({ length: 20 }, (_, j) => ({ id: `c${i}-${j}`, name: 'C' })) })) };
    expect(() => checkCategoryTree(wide)).toThrow(ValidationError);
  });
});
