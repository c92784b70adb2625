import { productUseCases } from '#domain/sales/product.use-cases.ts';
import { purchaseConsumer } from '#domain/sales/purchases.use-cases.ts';
import { salesMergeConsumer } from '#domain/sales/customer-merge.use-cases.ts';
import { dynamoAccountRepository } from './account.dynamodb-repository.ts';
import { dynamoCoOccurrenceStore } from './co-occurrence.dynamodb-store.ts';
import { dynamoSalesMergeStore } from './customer-merge.dynamodb.ts';
import { dynamoProductRepository } from './product.dynamodb-repository.ts';
import { dynamoPurchaseInteractions } from './purchase-interactions.dynamodb.ts';
import { dynamoSegmentReads } from './segment-reads.dynamodb.ts';
import type { SalesInfra } from './sales.infra.ts';

// Builders shared by the sales Lambda, the purchases Lambda and the local runtime.

export const productsFor = (infra: SalesInfra) =>
  productUseCases({
    products: dynamoProductRepository(infra),
    coOccurrence: dynamoCoOccurrenceStore(infra),
    segments: dynamoSegmentReads(infra),
    accounts: dynamoAccountRepository(infra),
    clock: infra.clock,
  });

/** The purchases function's consumer. */
export const purchaseConsumerFor = (infra: SalesInfra) => purchaseConsumer({ interactions: dynamoPurchaseInteractions(infra), products: productsFor(infra) });

/** The purchases function's other consumer: a merged-away customer's sales data follows it. */
export const salesMergeConsumerFor = (infra: SalesInfra) => salesMergeConsumer(dynamoSalesMergeStore(infra));
