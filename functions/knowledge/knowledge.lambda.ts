import { tableConfig } from '../shared/config.ts';
import { systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { knowledgeHandler } from './knowledge.app.ts';
import { authoringPortsFor, helpAppFor } from './knowledge.composition.ts';

// Composition root: the table client and configuration at cold start; each adapter is built on its
// first call, from a chunk of its own (the search engine and indexes on the first search, the
// Markdown renderer on the first write: knowledge.composition.ts).
const infra = { client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock, ids: uuidIds };

export const handler = knowledgeHandler({ clock: systemClock, ids: uuidIds, ...authoringPortsFor(infra), ...helpAppFor(infra) });
