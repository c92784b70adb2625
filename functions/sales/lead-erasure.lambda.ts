import { tableConfig } from '../shared/config.ts';
import { systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { leadAppFor } from './lead.composition.ts';
import { leadErasureHandler } from './lead-erasure.handler.ts';

export const handler = leadErasureHandler(leadAppFor({ client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock, ids: uuidIds }).leads);
