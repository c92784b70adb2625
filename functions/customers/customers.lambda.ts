import { lazyPort } from '../shared/lazy.ts';
import { jitteredPause, systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { tableConfig } from '../shared/table-config.ts';
import { customersHandler } from './customers.app.ts';
import { erasureConfig } from './erasure.config.ts';

// Composition root: config and the table client once per cold start; the DynamoDB adapters are
// built on their first call (their modules are chunks of their own, loaded by the first request
// that reads or writes), so the cold start compiles neither them nor the key mappers they use.
const { tableName } = tableConfig();
const client = createTableClient();
const infra = { client, tableName, ids: uuidIds, clock: systemClock };

export const handler = customersHandler({
  customers: lazyPort(async () => (await import('./customer.dynamodb-repository.ts')).dynamoCustomerRepository(infra)),
  clock: systemClock,
  ids: uuidIds,
  retry: jitteredPause,
  erasureRequests: lazyPort(async () => (await import('./erasure-request.dynamodb-repository.ts')).dynamoErasureRequests(infra)),
  erasureGraceDays: erasureConfig().graceDays,
});
