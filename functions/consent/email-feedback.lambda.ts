import { tableConfig } from '../shared/config.ts';
import { systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { consentRecordsFor } from './consent.composition.ts';
import { emailFeedbackHandler } from './consent-events.handlers.ts';
import { observedConsumer } from '../shared/observed-consumer.ts';

export const handler = observedConsumer('emailFeedback', emailFeedbackHandler(consentRecordsFor({ client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock, ids: uuidIds })));
