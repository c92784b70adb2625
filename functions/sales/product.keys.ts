import type { Product } from '#domain/sales/product.schema.ts';
import { TABLE } from '#infra/table.ts';
import { customerPartition } from '../customers/customer.keys.ts';

// Keys and item mappers of products, purchases and co-occurrence counters (pure; no I/O).
//   product         pk PRODUCT#<sku>         sk PRODUCT              gsi1 PRODUCTS / <active|inactive>#<sku>; gsi2 PRODUCT_CATEGORY#<category> / <active|inactive>#<sku>
//   owned products  pk CUSTOMER#<id>         sk OWNED_PRODUCTS       skus (sorted list), version   (the customer's partition: erasure removes it)
//   purchase claim  pk CUSTOMER#<id>         sk PURCHASE#<source>    chunks, applied               (counted once per source; erasure removes it)
//   partner counts  pk COOC#<sku>            sk PARTNERS             one number attribute `p_<partner>` per partner: customers owning both
//   owner count     pk PRODUCT_STATS         sk OWNERS#<sku>         owners: customers owning the sku
//   customer count  pk PRODUCT_STATS         sk CUSTOMERS            customers: customers with any purchase
//   segment sales   pk SEGMENT_SALES#<segId> sk SKU#<sku>            purchases: purchases of the sku by members of the segment
//                   (one item per (segment, sku): an ADD touches one small item, no item-size ceiling however
//                   large the catalogue; the fallback reads a segment's partition, one Query, and ranks in memory)

const BY_CREATED = TABLE.indexes.byCreatedAt;
const BY_QUEUE = TABLE.indexes.byQueue;

export const ALL_PRODUCTS = 'PRODUCTS';
export const PRODUCT_STATS = 'PRODUCT_STATS';
export const OWNERS_PREFIX = 'OWNERS#';
export const PARTNER_PREFIX = 'p_';

export const productKey = (sku: string) => ({ pk: `PRODUCT#${sku}`, sk: 'PRODUCT' });
export const PRODUCT_ITEM_KEY = { pk: { startsWith: 'PRODUCT#' }, sk: { is: 'PRODUCT' } } as const;
export const categoryPartition = (category: string) => `PRODUCT_CATEGORY#${category}`;
export const activityPrefix = (active: boolean) => (active ? 'active#' : 'inactive#');

export const ownedKey = (customerId: string) => ({ pk: customerPartition(customerId), sk: 'OWNED_PRODUCTS' });
export const purchaseClaimKey = (customerId: string, source: string) => ({ pk: customerPartition(customerId), sk: `PURCHASE#${source}` });
export const partnersKey = (sku: string) => ({ pk: `COOC#${sku}`, sk: 'PARTNERS' });
export const ownersKey = (sku: string) => ({ pk: PRODUCT_STATS, sk: `${OWNERS_PREFIX}${sku}` });
export const customersCountKey = () => ({ pk: PRODUCT_STATS, sk: 'CUSTOMERS' });
export const segmentSalesPartition = (segmentId: string) => `SEGMENT_SALES#${segmentId}`;
export const segmentSalesKey = (segmentId: string, sku: string) => ({ pk: segmentSalesPartition(segmentId), sk: `SKU#${sku}` });

export function toProductItem(product: Product): Record<string, unknown> {
  const sortKey = `${activityPrefix(product.active)}${product.sku}`;
  return {
    ...productKey(product.sku),
    type: 'Product',
    [BY_CREATED.partitionKey]: ALL_PRODUCTS,
    [BY_CREATED.sortKey]: sortKey,
    [BY_QUEUE.partitionKey]: categoryPartition(product.category),
    [BY_QUEUE.sortKey]: sortKey,
    ...product,
  };
}

export function fromProductItem(item: Record<string, unknown>): Product {
  return {
    sku: String(item.sku),
    name: String(item.name),
    category: String(item.category),
    price: Number(item.price),
    currency: String(item.currency),
    active: item.active === true,
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
    version: Number(item.version),
  };
}
