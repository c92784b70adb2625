import { randomUUID } from 'node:crypto';
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { ArticleRevision } from '../../domain/knowledge/article.schema.ts';
import { ArticlePublished } from '../../events/article-published.event.ts';
import { ArticleWithdrawn } from '../../events/article-withdrawn.event.ts';
import type { DomainEvent } from '../../events/define-event.ts';
import { liveKey, toLiveItem, toSlugItem } from '../../functions/knowledge/article.keys.ts';
import { outboxPuts } from '../../functions/shared/outbox.ts';
import { systemClock, uuidIds } from '../../functions/shared/system.ts';
import type { TestRuntime } from './local-runtime.ts';

// Published articles put straight into a local runtime's table, as the authoring side commits
// them (the live revision, its slug and the event, in one transaction), then carried by the
// outbox, the stream and the bus to the search indexer.

export function articleRevision(title: string, html: string, more: Partial<ArticleRevision> = {}): ArticleRevision {
  const slug = `${title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}-${randomUUID().slice(0, 6)}`;
  return { articleId: randomUUID(), revision: 1, slug, title, body: '', html, locale: 'en', category: null, tags: [], publishedAt: new Date().toISOString(), publishedBy: 'pat@agents.test', ...more };
}

type Runtime = Pick<TestRuntime, 'runtime'>;

async function commit(t: Runtime, items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>, event: DomainEvent) {
  const { client, tableName } = t.runtime;
  await client.send(new TransactWriteCommand({ TransactItems: [...items, ...outboxPuts(tableName, [event], { correlationId: 'test-knowledge' }, { ids: uuidIds, clock: systemClock })] }));
  await t.runtime.idle();
}

/** Publishes a revision and waits until the indexer has handled its event; answers its id. */
export async function publishRevision(t: Runtime, r: ArticleRevision): Promise<string> {
  const { tableName } = t.runtime;
  await commit(
    t,
    [
      { Put: { TableName: tableName, Item: toLiveItem(r) } },
      { Put: { TableName: tableName, Item: toSlugItem(r.slug, r.articleId) } },
    ],
    ArticlePublished.of({ articleId: r.articleId, revision: r.revision, locale: r.locale, slug: r.slug }),
  );
  return r.articleId;
}

export const publishArticle = (t: Runtime, a: { title: string; html: string } & Partial<ArticleRevision>) => publishRevision(t, articleRevision(a.title, a.html, a));

/** Takes a revision off the help centre (archived), event included. */
export async function withdrawRevision(t: Runtime, r: ArticleRevision) {
  await commit(t, [{ Delete: { TableName: t.runtime.tableName, Key: liveKey(r.articleId) } }], ArticleWithdrawn.of({ articleId: r.articleId, locale: r.locale, reason: 'archived' }));
}
