import * as z from '#domain/shared/zod.ts';

// How campaign mail is paced and laned, validated once at cold start.
//   CAMPAIGN_SEND_RATE   messages per second for all lanes together: SES's account rate (0: unpaced)
//   CAMPAIGN_SEND_LANES  lanes a campaign's batches are spread over (the sender's stream parallelism)
//   LINK_BASE_URL        the public API's base URL, for the unsubscribe links of campaign mail

/** SES's sending rate of a new production account. */
export const DEFAULT_SEND_RATE = 14;
export const DEFAULT_SEND_LANES = 4;

const Rate = z.onFirstUse(() => z.coerce.number().check(z.gte(0), z.lte(10_000)));
const Lanes = z.onFirstUse(() => z.coerce.number().check(z.int(), z.gte(1), z.lte(10)));
const DeliveryConfig = z.onFirstUse(() => z.object({
  CAMPAIGN_SEND_RATE: z._default(Rate, DEFAULT_SEND_RATE),
  CAMPAIGN_SEND_LANES: z._default(Lanes, DEFAULT_SEND_LANES),
}));
const LinkConfig = z.onFirstUse(() => z.object({ LINK_BASE_URL: z.url() }));

export function deliveryConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = DeliveryConfig.parse(env);
  return { sendRate: parsed.CAMPAIGN_SEND_RATE, lanes: parsed.CAMPAIGN_SEND_LANES };
}

export function linkConfig(env: NodeJS.ProcessEnv = process.env) {
  return { linkBase: LinkConfig.parse(env).LINK_BASE_URL.replace(/\/+$/, '') };
}
