import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock, IdGenerator } from '#domain/shared/ports.ts';
import { EVENT_BUS_NAME } from '#events/define-event.ts';
import { dynamoCustomerRepository } from '#functions/customers/customer.dynamodb-repository.ts';
import { customersHandler } from '#functions/customers/customers.app.ts';
import { docsHandler } from '#functions/docs/docs.app.ts';
import { eventBridgePublisher } from '#functions/outbox/eventbridge-publisher.ts';
import { publishOutboxHandler } from '#functions/outbox/publish-outbox.handler.ts';
import type { FunctionName } from '../topology.ts';
import { LOCAL_AWS } from './dynamodb-local.ts';

export interface LocalPorts {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly busEndpoint: string;
}

/**
 * Each function of the topology built from the same factories its Lambda composition root uses,
 * with local adapters: DynamoDB Local, the local bus, the virtual clock.
 */
export function localFunctions({ client, tableName, clock, ids, busEndpoint }: LocalPorts) {
  const eventBridge = new EventBridgeClient({ endpoint: busEndpoint, ...LOCAL_AWS });
  return {
    customers: customersHandler({ customers: dynamoCustomerRepository({ client, tableName, ids, clock }), clock, ids }),
    docs: docsHandler(),
    outboxPublisher: publishOutboxHandler(eventBridgePublisher(eventBridge, EVENT_BUS_NAME)),
  } satisfies Record<FunctionName, unknown>;
}

export type LocalFunctions = ReturnType<typeof localFunctions>;
