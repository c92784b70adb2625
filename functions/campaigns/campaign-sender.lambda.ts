import { emailConfig, tableConfig } from '../shared/config.ts';
import { createSesClient } from '../shared/ses-client.ts';
import { systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { deliveryConfig, linkConfig } from './delivery.config.ts';
import { campaignSenderFor } from './delivery.composition.ts';
import { campaignSenderHandler } from './delivery.handlers.ts';
import { observedConsumer } from '../shared/observed-consumer.ts';
import { ssmTokenKeys, tokenKeysConfig } from '../shared/ssm-token-keys.ts';

const infra = { client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock, ids: uuidIds };
// The link-token keys: one SSM read per cold start (top-level await: before the first request).
const tokenKeys = await ssmTokenKeys(tokenKeysConfig().parameterName).load();
const { linkBase } = linkConfig();
const mail = { ses: createSesClient(), email: emailConfig(), tokenKeys };

export const handler = observedConsumer('campaignSender', campaignSenderHandler(campaignSenderFor(infra, mail, { ...deliveryConfig(), linkBase: () => linkBase })));
