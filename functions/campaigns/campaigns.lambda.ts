import type { CampaignSending } from '#domain/campaigns/campaign.ports.ts';
import { campaignControlConfig, emailConfig, tableConfig } from '../shared/config.ts';
import { lazyPort } from '../shared/lazy.ts';
import { sesMailerOnFirstUse } from '../shared/ses-mailer-on-first-use.ts';
import { systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { ssmTokenKeysOnFirstUse } from '../shared/token-keys.ts';
import { campaignControlFor } from './campaign-control.ts';
import type { CampaignsApp } from './campaign.http.ts';
import { campaignsHandler } from './campaigns.app.ts';

// Composition root: the table client and config at cold start. Each area's use cases and adapters
// (segments, campaigns) load with its first request, from chunks of their own; EventBridge,
// Scheduler, SES, the delivery code and the token keys with their first use.
const infra = { client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock, ids: uuidIds };
// The link-token keys: read from SSM by the first token signed or checked, not at cold start.
const tokenKeys = ssmTokenKeysOnFirstUse();
const mailer = sesMailerOnFirstUse(emailConfig());
const control = {
  ...campaignControlFor(campaignControlConfig(), systemClock),
  sending: lazyPort<CampaignSending>(async () => (await import('./delivery.composition.ts')).campaignSendingFor(infra)),
};

export const handler = campaignsHandler({
  segments: lazyPort<CampaignsApp['segments']>(async () => (await import('./segments.composition.ts')).segmentUseCasesFor(infra)),
  campaigns: lazyPort<CampaignsApp['campaigns']>(async () => (await import('./campaign-api.composition.ts')).campaignUseCasesOver(infra, mailer, tokenKeys, control)),
});
