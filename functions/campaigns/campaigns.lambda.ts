import { createSesClient } from '../shared/ses-client.ts';
import { emailConfig, tableConfig, tokenConfig } from '../shared/config.ts';
import { systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { campaignsHandler } from './campaigns.app.ts';
import { type CampaignControl, campaignsAppFor } from './campaigns.composition.ts';

const infra = { client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock, ids: uuidIds };

// TEMPORARY (issue 10, until the merge): the EventBridge rule and Scheduler adapters and the
// sender's resume are built by other parts; the lead wires them here.
const notWired = (what: string) => async (): Promise<never> => {
  throw new Error(`${what} is not wired yet`);
};
const control: CampaignControl = {
  triggers: { enable: notWired('CampaignTriggers'), disable: notWired('CampaignTriggers') },
  schedules: { at: notWired('OneOffSchedules'), cancel: notWired('OneOffSchedules') },
  sending: { resume: notWired('CampaignSending') },
};

export const handler = campaignsHandler(campaignsAppFor(infra, createSesClient(), emailConfig(), tokenConfig().secret, control));
