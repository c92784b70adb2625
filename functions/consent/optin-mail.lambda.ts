import { createSesClient } from '../shared/ses-client.ts';
import { emailConfig, tableConfig } from '../shared/config.ts';
import { systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { optInMailFor } from './consent.composition.ts';
import { optInMailHandler } from './consent-events.handlers.ts';
import { observedConsumer } from '../shared/observed-consumer.ts';
import { ssmTokenKeys, tokenKeysConfig } from '../shared/ssm-token-keys.ts';

const infra = { client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock, ids: uuidIds };
// The link-token keys: one SSM read per cold start (top-level await: before the first request).
const tokenKeys = await ssmTokenKeys(tokenKeysConfig().parameterName).load();

export const handler = observedConsumer('optInMail', optInMailHandler(optInMailFor(infra, createSesClient(), emailConfig(), tokenKeys)));
