import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { customerUseCases } from '#domain/customers/customer.use-cases.ts';
import { erasureRunUseCases } from '#domain/customers/erasure-request.use-cases.ts';
import type { Clock, IdGenerator, OneOffSchedules } from '#domain/shared/ports.ts';
import { dynamoCustomerRepository } from './customer.dynamodb-repository.ts';
import { dynamoErasureRequests } from './erasure-request.dynamodb-repository.ts';

/** The scheduledErasure function's use cases from its adapters (the Lambda and the local runtime build it alike). */
export function erasureRunFor(infra: { client: DynamoDBDocumentClient; tableName: string; clock: Clock; ids: IdGenerator }, schedules: OneOffSchedules) {
  return erasureRunUseCases({
    requests: dynamoErasureRequests(infra),
    clock: infra.clock,
    schedules,
    customers: customerUseCases({ customers: dynamoCustomerRepository(infra), clock: infra.clock, ids: infra.ids }),
  });
}
