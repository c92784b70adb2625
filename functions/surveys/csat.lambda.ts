import { tableConfig } from '../shared/config.ts';
import { systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { csatHandler } from './csat.app.ts';
import { csatDepsFor } from './surveys.composition.ts';
import { ssmTokenKeys, tokenKeysConfig } from '../shared/ssm-token-keys.ts';

// Composition root: adapters are built once per cold start.
const infra = { client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock, ids: uuidIds };
// The link-token keys: one SSM read per cold start (top-level await: before the first request).
const tokenKeys = await ssmTokenKeys(tokenKeysConfig().parameterName).load();

export const handler = csatHandler(csatDepsFor(infra, tokenKeys));
