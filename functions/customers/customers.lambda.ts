import { tableConfig } from '../shared/config.ts';
import { jitteredPause, systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { dynamoCustomerRepository } from './customer.dynamodb-repository.ts';
import { customersHandler } from './customers.app.ts';
import { erasureConfig } from './erasure.config.ts';
import { dynamoErasureRequests } from './erasure-request.dynamodb-repository.ts';

// Composition root: adapters are built once per cold start.
const { tableName } = tableConfig();
const client = createTableClient();
const infra = { client, tableName, ids: uuidIds, clock: systemClock };

export const handler = customersHandler({
  customers: dynamoCustomerRepository(infra),
  clock: systemClock,
  ids: uuidIds,
  retry: jitteredPause,
  erasureRequests: dynamoErasureRequests(infra),
  erasureGraceDays: erasureConfig().graceDays,
});
