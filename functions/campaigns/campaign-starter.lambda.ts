import { tableConfig } from '../shared/config.ts';
import { systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { campaignStarterFor, unwiredAudience } from './delivery.composition.ts';
import { campaignStarterHandler } from './delivery.handlers.ts';

const infra = { client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock, ids: uuidIds };

// The segments part's Audience takes the place of unwiredAudience when the parts are merged.
export const handler = campaignStarterHandler(campaignStarterFor(infra, unwiredAudience));
