import { tableConfig } from '../shared/config.ts';
import { systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { caseErasureHandler } from './case-events.handlers.ts';
import { caseRepository } from './cases.composition.ts';
import { observedConsumer } from '../shared/observed-consumer.ts';

export const handler = observedConsumer('caseErasure', caseErasureHandler(caseRepository({ client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock, ids: uuidIds })));
