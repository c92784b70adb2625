import { tableConfig } from '../shared/config.ts';
import { systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { analyticsConfig } from './analytics.config.ts';
import { analyticsFeedConsumersFor } from './analytics.composition.ts';
import { analyticsFeedHandler } from './analytics-feed.handler.ts';

const infra = { client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock, ids: uuidIds };
export const handler = analyticsFeedHandler(analyticsFeedConsumersFor(infra, analyticsConfig()));
