import { createSesClient } from '../shared/ses-client.ts';
import { emailConfig, tableConfig } from '../shared/config.ts';
import { systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { optInMailFor } from './consent.composition.ts';
import { optInMailHandler } from './consent-events.handlers.ts';
import { observedConsumer } from '../shared/observed-consumer.ts';
import { ssmTokenKeysOnFirstUse } from '../shared/ssm-token-keys-on-first-use.ts';

const infra = { client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock, ids: uuidIds };
// The link-token keys: read from SSM by the first token signed or checked, not at cold start.
const tokenKeys = ssmTokenKeysOnFirstUse();

export const handler = observedConsumer('optInMail', optInMailHandler(optInMailFor(infra, createSesClient(), emailConfig(), tokenKeys)));
