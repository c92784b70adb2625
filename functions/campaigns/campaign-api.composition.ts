import { campaignUseCases } from '#domain/campaigns/campaign.use-cases.ts';
import type { EmailSender } from '#domain/shared/email.ts';
import { type TokenKeySource, tokenSigner } from '../shared/hmac-tokens.ts';
import type { CampaignLifecycle, CampaignsInfra } from './campaigns.composition.ts';
import { dynamoCampaignRepository } from './campaign.dynamodb-repository.ts';

// The campaigns area of the campaigns API over any EmailSender, apart from campaigns.composition.ts
// (which wraps an SES client) so that the campaigns function loads it with the first campaign
// request and the SES code only with the first test message (campaigns.lambda.ts).

export function campaignUseCasesOver(infra: CampaignsInfra, mailer: EmailSender, tokenKeys: TokenKeySource, control: CampaignLifecycle) {
  return campaignUseCases({
    campaigns: dynamoCampaignRepository(infra),
    ...control,
    // Test messages go to staff addresses, not customers: SES directly, behind the suppression check.
    mailer,
    tokens: tokenSigner(tokenKeys),
    clock: infra.clock,
    ids: infra.ids,
  });
}
