import { tableConfig, tokenConfig } from '../shared/config.ts';
import { systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { csatHandler } from './csat.app.ts';
import { csatDepsFor } from './surveys.composition.ts';

// Composition root: adapters are built once per cold start.
const infra = { client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock, ids: uuidIds };

export const handler = csatHandler(csatDepsFor(infra, tokenConfig().secret));
