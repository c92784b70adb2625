import { tableConfig } from '../shared/config.ts';
import { systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { wonOpportunityConsumerFor } from './opportunity.composition.ts';
import { wonOpportunitiesHandler } from './won-opportunities.handler.ts';
import { observedConsumer } from '../shared/observed-consumer.ts';

export const handler = observedConsumer('wonOpportunities', wonOpportunitiesHandler(wonOpportunityConsumerFor({ client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock, ids: uuidIds })));
