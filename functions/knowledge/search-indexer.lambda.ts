import { tableConfig } from '../shared/config.ts';
import { jitteredPause, systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { searchIndexerFor } from './search.part.ts';
import { searchIndexerHandler } from './search-indexer.handler.ts';
import { observedConsumer } from '../shared/observed-consumer.ts';

export const handler = observedConsumer('searchIndexer', searchIndexerHandler(searchIndexerFor({ client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock, ids: uuidIds }, jitteredPause)));
