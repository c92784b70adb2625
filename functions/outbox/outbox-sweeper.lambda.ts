import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { busConfig, tableConfig } from '../shared/config.ts';
import { systemClock } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { eventBridgePublisher } from './eventbridge-publisher.ts';
import { dynamoOutboxStore } from './outbox.dynamodb-store.ts';
import { sweepOutboxHandler } from './sweep-outbox.handler.ts';

const { busName } = busConfig();

export const handler = sweepOutboxHandler({
  publisher: eventBridgePublisher(new EventBridgeClient({}), busName),
  store: dynamoOutboxStore({ client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock }),
  clock: systemClock,
});
