import { createSesClient } from '../shared/ses-client.ts';
import { emailConfig, tableConfig, tokenConfig } from '../shared/config.ts';
import { systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { campaignsHandler } from './campaigns.app.ts';
import { campaignsAppFor } from './campaigns.composition.ts';

const infra = { client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock, ids: uuidIds };

export const handler = campaignsHandler(campaignsAppFor(infra, createSesClient(), emailConfig(), tokenConfig().secret));
