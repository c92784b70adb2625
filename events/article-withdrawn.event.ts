import * as z from '#domain/shared/zod.ts';
import { defineEvent } from './define-event.ts';

/** A published article left the help centre (archived or deleted): the search indexer drops it from its locale's index. */
export const ArticleWithdrawn = defineEvent({
  source: 'crm.knowledge',
  detailType: 'ArticleWithdrawn',
  version: 1,
  data: z.onFirstUse(() => z.strictObject({ articleId: z.string(), locale: z.string(), reason: z.enum(['archived', 'deleted', 'locale_changed']) })),
});
