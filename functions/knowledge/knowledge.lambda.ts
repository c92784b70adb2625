import { tableConfig } from '../shared/config.ts';
import { systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { knowledgeHandler } from './knowledge.app.ts';
import { authoringPortsFor, helpAppFor } from './knowledge.composition.ts';

// Composition root: adapters are built once per cold start (the search indexes load on the first
// search, the Markdown renderer on the first write).
const infra = { client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock, ids: uuidIds };

export const handler = knowledgeHandler({ clock: systemClock, ids: uuidIds, ...authoringPortsFor(infra), ...helpAppFor(infra) });
