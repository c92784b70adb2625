import { productUseCases } from '#domain/sales/product.use-cases.ts';
import { purchaseConsumer } from '#domain/sales/purchases.use-cases.ts';
import { salesMergeConsumer } from '#domain/sales/customer-merge.use-cases.ts';
import { lazyPort } from '../shared/lazy.ts';
import { dynamoProductRepository } from './product.dynamodb-repository.ts';
import { dynamoPurchaseInteractions } from './purchase-interactions.dynamodb.ts';
import type { SalesInfra } from './sales.infra.ts';

// Builders shared by the sales Lambda, the purchases Lambda and the local runtime.

/**
 * The counters, the segment reads and the accounts serve recommendations and purchases only, not
 * the catalogue routes (the segment reads bring the campaigns' customer facts and what those
 * read): their adapters load on their first call.
 */
export const productsFor = (infra: SalesInfra) =>
  productUseCases({
    products: dynamoProductRepository(infra),
    coOccurrence: lazyPort(async () => (await import('./co-occurrence.dynamodb-store.ts')).dynamoCoOccurrenceStore(infra)),
    segments: lazyPort(async () => (await import('./segment-reads.dynamodb.ts')).dynamoSegmentReads(infra)),
    accounts: lazyPort(async () => (await import('./account.dynamodb-repository.ts')).dynamoAccountRepository(infra)),
    clock: infra.clock,
  });

/** The purchases function's consumer. */
export const purchaseConsumerFor = (infra: SalesInfra) => purchaseConsumer({ interactions: dynamoPurchaseInteractions(infra), products: productsFor(infra) });

/**
 * The purchases function's other consumer: a merged-away customer's sales data follows it. Its
 * store (which reaches the counters' adapter) loads on the first merge, so that importing this
 * module does not bring it to the product routes.
 */
export const salesMergeConsumerFor = (infra: SalesInfra) => salesMergeConsumer(lazyPort(async () => (await import('./customer-merge.dynamodb.ts')).dynamoSalesMergeStore(infra)));
