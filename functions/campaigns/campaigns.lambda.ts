import { campaignControlConfig, emailConfig, tableConfig } from '../shared/config.ts';
import { createSesClient } from '../shared/ses-client.ts';
import { systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { campaignControlFor } from './campaign-control.ts';
import { campaignsHandler } from './campaigns.app.ts';
import { campaignsAppFor } from './campaigns.composition.ts';
import { campaignSendingFor } from './delivery.composition.ts';
import { ssmTokenKeysOnFirstUse } from '../shared/token-keys.ts';

const infra = { client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock, ids: uuidIds };
// The link-token keys: read from SSM by the first token signed or checked, not at cold start.
const tokenKeys = ssmTokenKeysOnFirstUse();
const control = { ...campaignControlFor(campaignControlConfig(), systemClock), sending: campaignSendingFor(infra) };

export const handler = campaignsHandler(campaignsAppFor(infra, createSesClient(), emailConfig(), tokenKeys, control));
