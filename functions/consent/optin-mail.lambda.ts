import { createSesClient } from '../shared/ses-client.ts';
import { emailConfig, tableConfig, tokenConfig } from '../shared/config.ts';
import { systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { optInMailFor } from './consent.composition.ts';
import { optInMailHandler } from './consent-events.handlers.ts';
import { observedConsumer } from '../shared/observed-consumer.ts';

const infra = { client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock, ids: uuidIds };

export const handler = observedConsumer('optInMail', optInMailHandler(optInMailFor(infra, createSesClient(), emailConfig(), tokenConfig().secret)));
