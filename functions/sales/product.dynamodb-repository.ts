import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { CatalogueEntry } from '#domain/sales/co-occurrence.ts';
import type { ProductRepository } from '#domain/sales/product.ports.ts';
import { TABLE } from '#infra/table.ts';
import { queryAll } from '../shared/dynamo-batch.ts';
import { type Db, queryPage } from '../shared/db.ts';
import { activityPrefix, ALL_PRODUCTS, categoryPartition, fromProductItem, PRODUCT_ITEM_KEY, productKey, toProductItem } from './product.keys.ts';

// Products: one item each, listed through two overloaded indexes (all products, a category's),
// both sorted `<active|inactive>#<sku>` so that ?active= is a key prefix, not a filter.

export function dynamoProductRepository(db: Pick<Db, 'client' | 'tableName'>): ProductRepository {
  const { client, tableName } = db;
  return {
    async get(sku) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: productKey(sku), ConsistentRead: true }));
      return Item ? fromProductItem(Item) : undefined;
    },

    async save(product, previousVersion) {
      try {
        await client.send(
          new PutCommand({
            TableName: tableName,
            Item: toProductItem(product),
            ...(previousVersion === null
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : { ConditionExpression: 'version = :previous', ExpressionAttributeValues: { ':previous': previousVersion } }),
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },

    async list({ category, active }, { limit, cursor }) {
      const sortPrefix = active === undefined ? undefined : activityPrefix(active);
      const page = await queryPage(db, {
        // Each filter its own listing name: a cursor of one is refused by the others.
        name: `products${category === undefined ? '' : '-of-category'}${active === undefined ? '' : '-by-activity'}`,
        index: category === undefined ? TABLE.indexes.byCreatedAt : TABLE.indexes.byQueue,
        partition: category === undefined ? ALL_PRODUCTS : categoryPartition(category),
        ...(sortPrefix ? { sortPrefix } : {}),
        itemKey: PRODUCT_ITEM_KEY,
        limit,
        cursor,
        ascending: true,
      });
      return { items: page.items.map(fromProductItem), nextCursor: page.nextCursor };
    },

    async catalogue() {
      const out = new Map<string, CatalogueEntry>();
      const pages = queryAll(client, {
        TableName: tableName,
        IndexName: TABLE.indexes.byCreatedAt.name,
        KeyConditionExpression: '#p = :p',
        ExpressionAttributeNames: { '#p': TABLE.indexes.byCreatedAt.partitionKey, '#sku': 'sku', '#name': 'name', '#active': 'active' },
        ExpressionAttributeValues: { ':p': ALL_PRODUCTS },
        ProjectionExpression: '#sku, #name, #active',
      });
      for await (const items of pages) for (const item of items) out.set(String(item.sku), { name: String(item.name), active: item.active === true });
      return out;
    },
  };
}
