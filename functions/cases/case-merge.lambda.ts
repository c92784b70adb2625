import { tableConfig } from '../shared/config.ts';
import { systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { caseMergeHandler } from './case-events.handlers.ts';
import { caseUseCasesFor } from './cases.composition.ts';
import { observedConsumer } from '../shared/observed-consumer.ts';

export const handler = observedConsumer('caseMerge', caseMergeHandler(caseUseCasesFor({ client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock, ids: uuidIds })));
