import { tableConfig } from '../shared/config.ts';
import { systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { purchaseConsumerFor } from './product.composition.ts';
import { purchasesHandler } from './purchases.handler.ts';

export const handler = purchasesHandler(purchaseConsumerFor({ client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock, ids: uuidIds }));
