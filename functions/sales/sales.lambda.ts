import { scheduleConfig, tableConfig } from '../shared/config.ts';
import { oneOffSchedulesFor } from '../shared/one-off-schedules.ts';
import { systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { salesHandler, salesPortsFor } from './sales.app.ts';

// Composition root: adapters are built once per cold start.
const infra = { client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock, ids: uuidIds, schedules: oneOffSchedulesFor(scheduleConfig(), systemClock) };

export const handler = salesHandler(salesPortsFor(infra));
