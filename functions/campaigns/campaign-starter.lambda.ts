import { tableConfig } from '../shared/config.ts';
import { systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { audienceFor } from './audience.dynamodb.ts';
import { campaignStarterFor } from './delivery.composition.ts';
import { campaignStarterHandler } from './delivery.handlers.ts';
import { observedConsumer } from '../shared/observed-consumer.ts';

const infra = { client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock, ids: uuidIds };

export const handler = observedConsumer('campaignStarter', campaignStarterHandler(campaignStarterFor(infra, audienceFor(infra).audience)));
