import { emailConfig, scheduleConfig, tableConfig } from '../shared/config.ts';
import { oneOffSchedulesFor } from '../shared/one-off-schedules.ts';
import { createSesClient } from '../shared/ses-client.ts';
import { systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { erasureRunFor } from './scheduled-erasure.composition.ts';
import { scheduledErasureHandler } from './scheduled-erasure.handler.ts';
import { observedConsumer } from '../shared/observed-consumer.ts';

// Composition root: adapters are built once per cold start.
const infra = { client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock, ids: uuidIds };

export const handler = observedConsumer('scheduledErasure', scheduledErasureHandler(erasureRunFor(infra, oneOffSchedulesFor(scheduleConfig(), systemClock), { ses: createSesClient(), email: emailConfig() })));
