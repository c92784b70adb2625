import { tableConfig } from '../shared/config.ts';
import { systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { casesHandler } from './cases.app.ts';
import { caseRepository, publishedArticlesFor } from './cases.composition.ts';

const infra = { client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock, ids: uuidIds };

export const handler = casesHandler({ cases: caseRepository(infra), clock: systemClock, ids: uuidIds, articles: publishedArticlesFor(infra) });
