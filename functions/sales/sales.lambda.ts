import { scheduleConfig, tableConfig } from '../shared/config.ts';
import { lazyPort } from '../shared/lazy.ts';
import { systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { salesHandler } from './sales.app.ts';

// Composition root: the table client and the configuration are read once per cold start (a bad
// setting fails it); the Scheduler client, which only the activity routes' due reminders use, is
// built by the first of them that schedules (bundled in its own chunk).
const settings = scheduleConfig();
const schedules = lazyPort(async () => (await import('../shared/one-off-schedules.ts')).oneOffSchedulesFor(settings, systemClock));
const infra = { client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock, ids: uuidIds, schedules };

export const handler = salesHandler(infra);
