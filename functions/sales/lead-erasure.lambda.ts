import { tableConfig } from '../shared/config.ts';
import { systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { unscheduledActivitiesFor } from './activity.composition.ts';
import { leadAppFor } from './lead.composition.ts';
import { leadErasureHandler } from './lead-erasure.handler.ts';
import { observedConsumer } from '../shared/observed-consumer.ts';

const infra = { client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock, ids: uuidIds };

export const handler = observedConsumer('leadErasure', leadErasureHandler(leadAppFor(infra).leads, unscheduledActivitiesFor(infra)));
