import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { busConfig } from '../shared/config.ts';
import { eventBridgePublisher } from './eventbridge-publisher.ts';
import { publishOutboxHandler } from './publish-outbox.handler.ts';

const { busName } = busConfig();

export const handler = publishOutboxHandler(eventBridgePublisher(new EventBridgeClient({}), busName));
