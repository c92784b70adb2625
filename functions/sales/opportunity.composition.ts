import { wonOpportunityConsumer } from '#domain/sales/won-opportunity.use-cases.ts';
import { dynamoAccountRepository } from './account.dynamodb-repository.ts';
import { dynamoOpportunityRepository } from './opportunity.dynamodb-repository.ts';
import { productsFor } from './product.composition.ts';
import type { SalesInfra } from './sales.infra.ts';

/** The won-opportunities function's consumer (its Lambda and the local runtime build it the same way). */
export const wonOpportunityConsumerFor = (infra: SalesInfra) =>
  wonOpportunityConsumer({ opportunities: dynamoOpportunityRepository(infra), contacts: dynamoAccountRepository(infra), products: productsFor(infra) });
