import { GetCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { DomainEvent } from '#events/define-event.ts';
import type { ArticleRepository, CategoryRepository, SaveRefusal } from '#domain/knowledge/article.ports.ts';
import type { ArticleChange, ArticleRecord, SlugMoves } from '#domain/knowledge/article.ts';
import type { Article } from '#domain/knowledge/article.schema.ts';
import { categoryIds } from '#domain/knowledge/category-tree.ts';
import type { CommandContext } from '#domain/shared/ports.ts';
import { TABLE } from '#infra/table.ts';
import { type CursorKeyShape, decodeCursor, encodeCursor } from '../shared/cursor.ts';
import { type Db, del, events as eventPuts, NOT_EXISTS, put } from '../shared/db.ts';
import { batchDelete, batchGet, queryAll } from '../shared/dynamo-batch.ts';
import { idempotencyItems, storedResult } from '../shared/idempotency.ts';
import type { TransactItem } from '../shared/outbox.ts';
import { commit } from '../shared/transaction.ts';
import {
  ALL_ARTICLES,
  articleKey,
  articlePartition,
  CATEGORIES_KEY,
  countsKey,
  fromArticleItem,
  fromCategoriesItem,
  fromCountsItem,
  fromRevisionItem,
  liveKey,
  REVISION_PREFIX,
  slugKey,
  toArticleItem,
  toCategoriesItem,
  toLiveItem,
  toRevisionItem,
  toSlugItem,
} from './article.keys.ts';

const BY_CREATED = TABLE.indexes.byCreatedAt;
const BY_STATUS = TABLE.indexes.byStatus;
/** Items evaluated per query while a filtered listing fills its page. */
const FILTERED_READ = 100;
/** JSON bytes of articles (or revisions) in one listing page, at most (one item may exceed it alone). */
const MAX_PAGE_BYTES = 4_000_000;
const SLUG_IS_OURS = 'attribute_not_exists(pk) OR articleId = :id';

/**
 * One listing page, newest first. Articles are large (body and HTML up to MAX_STORED_ARTICLE_BYTES
 * together), so a page is filled across DynamoDB's 1 MB query pages and ends early once it holds
 * MAX_PAGE_BYTES (an answer stays well inside Lambda's 6 MB): it may hold fewer than `limit`
 * items; `nextCursor` says whether more follow. A filtered listing reads FILTERED_READ items a query.
 */
async function collectPage(
  client: Db['client'],
  { name, shape, limit, cursor, filtered, query }: { name: string; shape: CursorKeyShape; limit: number; cursor: string | undefined; filtered: boolean; query: QueryCommandInput },
): Promise<{ items: Record<string, unknown>[]; nextCursor: string | null }> {
  const found: Record<string, unknown>[] = [];
  let bytes = 0;
  let startKey: Record<string, unknown> | undefined = cursor ? decodeCursor(name, cursor, shape) : undefined;
  do {
    const out = await client.send(
      new QueryCommand({ ...query, ScanIndexForward: false, Limit: filtered ? FILTERED_READ : limit + 1 - found.length, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }),
    );
    for (const item of out.Items ?? []) {
      bytes += JSON.stringify(item.data ?? null).length;
      found.push(item);
    }
    startKey = out.LastEvaluatedKey;
  } while (found.length <= limit && bytes <= MAX_PAGE_BYTES && startKey);
  let size = 0;
  const items = found.slice(0, limit).filter((item, i) => (size += JSON.stringify(item.data ?? null).length) <= MAX_PAGE_BYTES || i === 0);
  const last = items.at(-1);
  const more = found.length > items.length || startKey !== undefined;
  return { items, nextCursor: more && last ? encodeCursor(name, Object.fromEntries(Object.keys(shape).map((k) => [k, String(last[k])]))) : null };
}

/** The knowledge authoring side's table adapter: articles, their revisions, LIVE copies, slugs and the category tree. */
export function dynamoArticleRepository(db: Db): ArticleRepository {
  const { client, tableName } = db;

  async function counts(ids: readonly string[]) {
    const items = await batchGet(client, tableName, ids.map(countsKey));
    return new Map(items.map((item) => [String(item.pk).slice(articlePartition('').length), fromCountsItem(item)]));
  }

  const withFeedback = (record: ArticleRecord, found: Map<string, Article['feedback']>): Article => ({ ...record, feedback: found.get(record.id) ?? fromCountsItem(undefined) });

  /** The transaction of one change; `at` says which item stands for which refusal. */
  function changeItems(change: ArticleChange, previous: ArticleRecord | undefined, slugs: SlugMoves) {
    const { article, published } = change;
    const at: Record<number, SaveRefusal> = {};
    const items: TransactItem[] = [];
    const add = (item: TransactItem, refusal?: SaveRefusal) => {
      if (refusal) at[items.length] = refusal;
      items.push(item);
    };
    add(previous ? put(db, toArticleItem(article), 'version = :v', { ':v': previous.version }) : put(db, toArticleItem(article), NOT_EXISTS), 'version-moved');
    // The slug pointer is the uniqueness guard: taken by another article, the whole change fails.
    for (const slug of slugs.reserve) add(put(db, toSlugItem(slug, article.id), SLUG_IS_OURS, { ':id': article.id }), 'slug-taken');
    for (const slug of slugs.release) add(del(db, slugKey(slug), SLUG_IS_OURS, { ':id': article.id }), 'version-moved');
    if (article.category !== null && article.category !== previous?.category) {
      add({ ConditionCheck: { TableName: tableName, Key: CATEGORIES_KEY, ConditionExpression: 'contains(ids, :c)', ExpressionAttributeValues: { ':c': article.category } } }, 'category-gone');
    }
    if (published) {
      add(put(db, toRevisionItem(published), NOT_EXISTS), 'version-moved');
      add(put(db, toLiveItem(published)));
    }
    if (change.withdrawn) add(del(db, liveKey(article.id)));
    return { items, at };
  }

  return {
    async get(id) {
      const [found, feedback] = await Promise.all([
        client.send(new GetCommand({ TableName: tableName, Key: articleKey(id), ConsistentRead: true })),
        client.send(new GetCommand({ TableName: tableName, Key: countsKey(id), ConsistentRead: true })),
      ]);
      return found.Item ? { ...fromArticleItem(found.Item), feedback: fromCountsItem(feedback.Item) } : undefined;
    },

    async live(id) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: liveKey(id), ConsistentRead: true }));
      return Item ? fromRevisionItem(Item) : undefined;
    },

    /**
     * Newest first from the by-created-at index (by status: the by-status index, newest change
     * first). Locale and category filter the index's partition (a FilterExpression: the staff
     * listing of one knowledge base reads a few pages at most); a page is filled before it is returned.
     */
    async list({ limit, cursor, status, locale, category }) {
      const index = status ? BY_STATUS : BY_CREATED;
      const partition = status ? `ARTICLE_STATUS#${status}` : ALL_ARTICLES;
      const filters = [...(locale ? ['#d.#l = :l'] : []), ...(category ? ['#d.#c = :c'] : [])];
      const page = await collectPage(client, {
        name: `articles:${status ?? ''}:${locale ?? ''}:${category ?? ''}`,
        shape: { pk: { startsWith: articlePartition('') }, sk: { is: articleKey('').sk }, [index.partitionKey]: { is: partition }, [index.sortKey]: { startsWith: '' } },
        limit,
        cursor,
        filtered: filters.length > 0,
        query: {
          TableName: tableName,
          IndexName: index.name,
          KeyConditionExpression: '#p = :p',
          ExpressionAttributeNames: { '#p': index.partitionKey, ...(filters.length ? { '#d': 'data' } : {}), ...(locale ? { '#l': 'locale' } : {}), ...(category ? { '#c': 'category' } : {}) },
          ExpressionAttributeValues: { ':p': partition, ...(locale ? { ':l': locale } : {}), ...(category ? { ':c': category } : {}) },
          ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
        },
      });
      const records = page.items.map(fromArticleItem);
      const feedback = await counts(records.map((r) => r.id));
      return { items: records.map((r) => withFeedback(r, feedback)), nextCursor: page.nextCursor };
    },

    async revisions(id, { limit, cursor }) {
      const page = await collectPage(client, {
        name: `article-revisions:${id}`,
        shape: { pk: { is: articlePartition(id) }, sk: { startsWith: REVISION_PREFIX } },
        limit,
        cursor,
        filtered: false,
        query: {
          TableName: tableName,
          KeyConditionExpression: 'pk = :p AND begins_with(sk, :s)',
          ExpressionAttributeValues: { ':p': articlePartition(id), ':s': REVISION_PREFIX },
          ConsistentRead: true,
        },
      });
      return { items: page.items.map(fromRevisionItem), nextCursor: page.nextCursor };
    },

    async save(change, previous, slugs, context) {
      const { items, at } = changeItems(change, previous, slugs);
      // Only a new article is an idempotent creation; its record goes first.
      const claim = previous ? undefined : context.idempotency;
      const once = claim ? idempotencyItems(tableName, claim, change.article, db.clock.now()) : [];
      const failed = await commit(client, [...once, ...items, ...eventPuts(db, change.events, context)]);
      if (!failed) return { article: change.article, replayed: false };
      if (claim && failed.has(0)) {
        const first = await storedResult<ArticleRecord>(client, tableName, claim);
        if (first) return { article: first, replayed: true };
      }
      const refusals = [...failed].map((i) => at[i - once.length]).filter((r) => r !== undefined);
      // The slug or category tells the caller what to change; a moved version only to read again.
      return { refused: refusals.find((r) => r !== 'version-moved') ?? 'version-moved' };
    },

    async remove(previous, slugs, events: DomainEvent[], context: CommandContext) {
      const id = previous.id;
      const failed = await commit(client, [
        del(db, articleKey(id), 'version = :v', { ':v': previous.version }),
        del(db, liveKey(id)),
        ...slugs.map((slug) => del(db, slugKey(slug), SLUG_IS_OURS, { ':id': id })),
        ...eventPuts(db, events, context),
      ]);
      if (failed) return false;
      // The rest of the partition (revisions, feedback and its counts) goes after the commit: the
      // article is gone for every reader already, and a retry of this sweep is harmless.
      const rest: Record<string, unknown>[] = [];
      for await (const page of queryAll(client, { TableName: tableName, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': articlePartition(id) }, ProjectionExpression: 'pk, sk' })) {
        rest.push(...page);
      }
      await batchDelete(client, tableName, rest);
      return true;
    },
  };
}

export function dynamoCategoryRepository(db: Db): CategoryRepository {
  const { client, tableName } = db;
  return {
    async get() {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: CATEGORIES_KEY, ConsistentRead: true }));
      return { tree: fromCategoriesItem(Item), version: Number(Item?.version ?? 0) };
    },

    async replace(tree, expectedVersion) {
      // `ids` flat, for the ConditionCheck of article writes that name a category.
      const item = { ...toCategoriesItem(tree, expectedVersion + 1), ids: categoryIds(tree) };
      const failed = await commit(client, [expectedVersion === 0 ? put(db, item, NOT_EXISTS) : put(db, item, 'version = :v', { ':v': expectedVersion })]);
      return !failed;
    },

    /** Reads the category of every article (the knowledge base's whole article list, projected): only when a tree drops categories. */
    async usage(ids) {
      const wanted = new Set(ids);
      const uses = new Map<string, number>();
      for await (const page of queryAll(client, {
        TableName: tableName,
        IndexName: BY_CREATED.name,
        KeyConditionExpression: '#p = :p',
        ExpressionAttributeNames: { '#p': BY_CREATED.partitionKey, '#d': 'data', '#c': 'category' },
        ExpressionAttributeValues: { ':p': ALL_ARTICLES },
        ProjectionExpression: '#d.#c',
      })) {
        for (const item of page) {
          const category = (item.data as { category?: string | null } | undefined)?.category;
          if (category && wanted.has(category)) uses.set(category, (uses.get(category) ?? 0) + 1);
        }
      }
      return uses;
    },
  };
}
