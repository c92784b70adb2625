import { tableConfig } from '../shared/config.ts';
import { systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { csatHandler } from './csat.app.ts';
import { csatDepsFor } from './surveys.composition.ts';
import { ssmTokenKeysOnFirstUse } from '../shared/token-keys.ts';

// Composition root: adapters are built once per cold start.
const infra = { client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock, ids: uuidIds };
// The link-token keys: read from SSM by the first token signed or checked, not at cold start.
const tokenKeys = ssmTokenKeysOnFirstUse();

export const handler = csatHandler(csatDepsFor(infra, tokenKeys));
