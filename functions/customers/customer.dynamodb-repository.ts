import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CustomerRepository } from '#domain/customers/customer.repository.ts';
import type { Clock, IdGenerator } from '#domain/shared/ports.ts';
import { identities } from './dynamo/identities.ts';
import { lifecycle } from './dynamo/lifecycle.ts';
import { profiles } from './dynamo/profiles.ts';

export { customerCreateItems } from './dynamo/profiles.ts';
import { timeline } from './dynamo/timeline.ts';

export interface CustomerRepositoryConfig {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly ids: IdGenerator;
  readonly clock: Clock;
}

/** The CustomerRepository port on the single DynamoDB table (see customer.keys.ts for the items). */
export function dynamoCustomerRepository(config: CustomerRepositoryConfig): CustomerRepository {
  return { ...profiles(config), ...identities(config), ...timeline(config), ...lifecycle(config) };
}
