import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

/** A revision of an article went public: the search indexer adds or replaces it in its locale's index. */
export const ArticlePublished = defineEvent({
  source: 'crm.knowledge',
  detailType: 'ArticlePublished',
  version: 1,
  data: z.onFirstUse(() => z.strictObject({ articleId: z.string(), revision: z.int(), locale: z.string(), slug: z.string() })),
});
