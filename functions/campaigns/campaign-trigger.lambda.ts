import { tableConfig } from '../shared/config.ts';
import { systemClock } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { campaignTriggerHandler } from './campaign-trigger.handler.ts';
import { campaignTriggerFor, unwiredTriggerPorts } from './campaign-trigger.composition.ts';

// Merge: replace unwiredTriggerPorts() with the real Audience, CampaignDelivery and OneOffSchedules.
export const handler = campaignTriggerHandler(campaignTriggerFor({ client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock }, unwiredTriggerPorts()));
