import { tableConfig } from '../shared/config.ts';
import { jitteredPause, systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { dynamoCustomerRepository } from './customer.dynamodb-repository.ts';
import { customersHandler } from './customers.app.ts';

// Composition root: adapters are built once per cold start.
const { tableName } = tableConfig();
const client = createTableClient();

export const handler = customersHandler({
  customers: dynamoCustomerRepository({ client, tableName, ids: uuidIds, clock: systemClock }),
  clock: systemClock,
  ids: uuidIds,
  retry: jitteredPause,
});
