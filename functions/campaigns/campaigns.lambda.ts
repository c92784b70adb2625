import type { CampaignSending, CampaignTriggers, OneOffSchedules } from '#domain/campaigns/campaign.ports.ts';
import { campaignControlConfig } from '../shared/config.ts';
import { lazyPort, once } from '../shared/lazy.ts';
import { sesMailerOnFirstUse } from '../shared/ses-mailer-on-first-use.ts';
import { ssmTokenKeysOnFirstUse } from '../shared/ssm-token-keys-on-first-use.ts';
import { systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { tableConfig } from '../shared/table-config.ts';
import type { CampaignsApp } from './campaign.http.ts';
import { campaignsHandler } from './campaigns.app.ts';

// Composition root: the table client and the configuration at cold start (checked by hand, no
// zod). Each area's use cases and adapters (segments, campaigns) load with its first request, from
// chunks of their own; EventBridge, Scheduler, SES, the delivery code and the token keys with
// their first use.
const infra = { client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock, ids: uuidIds };
// The link-token keys: read from SSM by the first token signed or checked, not at cold start.
const tokenKeys = ssmTokenKeysOnFirstUse();
const mailer = sesMailerOnFirstUse();
// Checked at cold start (config.ts reaches no zod): a bad ARN fails the init, not a request.
const controlConfig = campaignControlConfig();
const control = once(async () => (await import('./campaign-control.ts')).campaignControlFor(controlConfig, systemClock));
const lifecycle = {
  triggers: lazyPort<CampaignTriggers>(async () => (await control()).triggers),
  schedules: lazyPort<OneOffSchedules>(async () => (await control()).schedules),
  sending: lazyPort<CampaignSending>(async () => (await import('./delivery.composition.ts')).campaignSendingFor(infra)),
};

export const handler = campaignsHandler({
  segments: lazyPort<CampaignsApp['segments']>(async () => (await import('./segments.composition.ts')).segmentUseCasesFor(infra)),
  campaigns: lazyPort<CampaignsApp['campaigns']>(async () => (await import('./campaign-api.composition.ts')).campaignUseCasesOver(infra, mailer, tokenKeys, lifecycle)),
});
