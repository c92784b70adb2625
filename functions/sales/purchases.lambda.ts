import { tableConfig } from '../shared/config.ts';
import { systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { purchaseConsumerFor, salesMergeConsumerFor } from './product.composition.ts';
import { purchasesHandler } from './purchases.handler.ts';
import { observedConsumer } from '../shared/observed-consumer.ts';

const infra = { client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock, ids: uuidIds };
export const handler = observedConsumer('purchases', purchasesHandler(purchaseConsumerFor(infra), salesMergeConsumerFor(infra)));
