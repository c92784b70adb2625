import { tableConfig } from '../shared/config.ts';
import { systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { analyticsConfig } from './analytics.config.ts';
import { analyticsFeedConsumersFor } from './analytics.composition.ts';
import { analyticsFeedHandler } from './analytics-feed.handler.ts';
import { observedConsumer } from '../shared/observed-consumer.ts';

const infra = { client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock, ids: uuidIds };
export const handler = observedConsumer('analyticsFeed', analyticsFeedHandler(analyticsFeedConsumersFor(infra, analyticsConfig())));
