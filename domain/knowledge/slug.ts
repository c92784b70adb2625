// Slugs from titles: lowercase ASCII words joined by hyphens, at most 120 characters (Slug in
// article.schema.ts). Accents fold to their base letter; letters that do not decompose get their
// usual ASCII spelling.

export const MAX_SLUG_LENGTH = 120;
/** What a title with no ASCII letter or digit at all (say, Japanese) becomes. */
export const FALLBACK_SLUG = 'article';

const FOLDS: Readonly<Record<string, string>> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i', ħ: 'h' };

export function slugify(title: string): string {
  const ascii = title
    .toLowerCase()
    .replace(/[ßæœøłđðþıħ]/g, (c) => FOLDS[c] ?? c)
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '');
  const words = ascii.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return trimTo(words, MAX_SLUG_LENGTH) || FALLBACK_SLUG;
}

/**
 * The n-th slug to try for a derived slug: the base, then `base-2`, `base-3`... still within the
 * limit (the base is cut, never the suffix).
 */
export function slugCandidate(base: string, n: number): string {
  if (n <= 1) return base;
  const suffix = `-${n}`;
  return `${trimTo(base, MAX_SLUG_LENGTH - suffix.length) || FALLBACK_SLUG}${suffix}`;
}

function trimTo(slug: string, max: number): string {
  return slug.length <= max ? slug : slug.slice(0, max).replace(/-+$/, '');
}
