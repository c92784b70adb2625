import { createSesClient } from '../shared/ses-client.ts';
import { emailConfig, tableConfig } from '../shared/config.ts';
import { systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { notificationHandler } from './case-events.handlers.ts';
import { caseNotificationsFor } from './cases.composition.ts';
import { observedConsumer } from '../shared/observed-consumer.ts';

const infra = { client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock, ids: uuidIds };

export const handler = observedConsumer('caseNotifications', notificationHandler(caseNotificationsFor(infra, createSesClient(), emailConfig())));
