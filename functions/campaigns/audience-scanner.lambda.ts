import { tableConfig } from '../shared/config.ts';
import { systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { audienceScannerHandler } from './audience-scanner.handler.ts';
import { audienceFor, audienceSinksFor } from './campaigns.composition.ts';
import { deliveryConfig } from './delivery.config.ts';
import { observedConsumer } from '../shared/observed-consumer.ts';

const infra = { client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock, ids: uuidIds };

export const handler = observedConsumer('audienceScanner', audienceScannerHandler(audienceFor(infra), audienceSinksFor(infra, deliveryConfig().lanes)));
