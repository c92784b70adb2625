import { tableConfig } from '../shared/config.ts';
import { systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { analyticsConfig } from './analytics.config.ts';
import { clvUseCasesFor } from './analytics.composition.ts';
import { analyticsJobsHandler } from './analytics-jobs.handler.ts';
import { observedConsumer } from '../shared/observed-consumer.ts';

const infra = { client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock, ids: uuidIds };
export const handler = observedConsumer('analyticsJobs', analyticsJobsHandler(clvUseCasesFor(infra, analyticsConfig())));
