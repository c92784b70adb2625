import { emailConfig, tableConfig } from '../shared/config.ts';
import { createSesClient } from '../shared/ses-client.ts';
import { systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { activityRemindersFor, activityRemindersHandler } from './activity-reminders.handler.ts';
import { observedConsumer } from '../shared/observed-consumer.ts';

// Composition root: adapters are built once per cold start.
const infra = { client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock, ids: uuidIds };

export const handler = observedConsumer('activityReminders', activityRemindersHandler(activityRemindersFor(infra, createSesClient(), emailConfig())));
