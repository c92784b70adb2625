import { emailConfig, scheduleConfig, tableConfig } from '../shared/config.ts';
import { oneOffSchedulesFor } from '../shared/one-off-schedules.ts';
import { createSesClient } from '../shared/ses-client.ts';
import { systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { audienceFor } from './audience.dynamodb.ts';
import { campaignTriggerHandler } from './campaign-trigger.handler.ts';
import { campaignTriggerFor } from './campaign-trigger.composition.ts';
import { deliveryConfig, linkConfig } from './delivery.config.ts';
import { campaignDeliveryFor } from './delivery.composition.ts';
import { observedConsumer } from '../shared/observed-consumer.ts';
import { ssmTokenKeysOnFirstUse } from '../shared/ssm-token-keys-on-first-use.ts';

const infra = { client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock, ids: uuidIds };
// The link-token keys: read from SSM by the first token signed or checked, not at cold start.
const tokenKeys = ssmTokenKeysOnFirstUse();
const { linkBase } = linkConfig();
const mail = { ses: createSesClient(), email: emailConfig(), tokenKeys };

export const handler = observedConsumer('campaignTrigger', campaignTriggerHandler(
  campaignTriggerFor(infra, {
    audience: audienceFor(infra).audience,
    delivery: campaignDeliveryFor(infra, mail, { ...deliveryConfig(), linkBase: () => linkBase }),
    schedules: oneOffSchedulesFor(scheduleConfig(), systemClock),
  }),
));
