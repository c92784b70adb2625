import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { busConfig, tableConfig } from '../shared/config.ts';
import { systemClock } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { eventBridgePublisher } from './eventbridge-publisher.ts';
import { dynamoOutboxStore } from './outbox.dynamodb-store.ts';
import { publishOutboxHandler } from './publish-outbox.handler.ts';
import { observedConsumer } from '../shared/observed-consumer.ts';

const { busName } = busConfig();

export const handler = observedConsumer('outboxPublisher', publishOutboxHandler({
  publisher: eventBridgePublisher(new EventBridgeClient({}), busName),
  store: dynamoOutboxStore({ client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock }),
}));
