import * as z from '#domain/shared/zod.ts';
import { ArticleStatus, CategoryId } from '#domain/knowledge/article.schema.ts';
import { Locale } from '#domain/customers/customer.schema.ts';
import { Cursor, Limit, PathId } from '../shared/query.ts';

// Query strings of the knowledge routes (the OpenAPI document and the handlers read the same schemas).

export const ArticleListQuery = z.onFirstUse(() => z.strictObject({
  limit: z.optional(Limit),
  cursor: z.optional(Cursor),
  status: z.optional(ArticleStatus),
  locale: z.optional(Locale),
  category: z.optional(CategoryId),
}));

export const PageQuery = z.onFirstUse(() => z.strictObject({ limit: z.optional(Limit), cursor: z.optional(Cursor) }));

const SearchText = z.onFirstUse(() => z.string().check(z.trim(), z.maxLength(200)));

/** GET /help/articles: with `q` ranked by relevance; without, the newest published first. */
export const HelpSearchQuery = z.onFirstUse(() => z.strictObject({
  q: z.optional(SearchText),
  locale: z.optional(Locale),
  category: z.optional(CategoryId),
  limit: z.optional(Limit),
  cursor: z.optional(Cursor),
}));

/** GET /help: the help-centre page; the same filters as the search. */
export const HelpCentreQuery = z.onFirstUse(() => z.strictObject({
  q: z.optional(SearchText),
  locale: z.optional(Locale),
  category: z.optional(CategoryId),
}));

export const SuggestionQuery = z.onFirstUse(() => z.strictObject({ limit: z.optional(Limit) }));

/** The `{id}` of a help or suggestion route; anything that cannot be an id or slug is simply not found. */
export function pathIdOr404(request: { params: Readonly<Record<string, string | undefined>> }, notFound: (id: string) => Error): string {
  const id = request.params.id ?? '';
  if (!PathId.safeParse(id).success) throw notFound(id);
  return id;
}
