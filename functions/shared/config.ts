import * as z from '#domain/shared/zod.ts';

const TableConfig = z.object({ TABLE_NAME: z.string().check(z.minLength(1)) });
const BusConfig = z.object({ EVENT_BUS_NAME: z.string().check(z.minLength(1)) });

/** Validated once at cold start; a missing variable fails the init, not a request. */
export function tableConfig(env: NodeJS.ProcessEnv = process.env) {
  return { tableName: TableConfig.parse(env).TABLE_NAME };
}

export function busConfig(env: NodeJS.ProcessEnv = process.env) {
  return { busName: BusConfig.parse(env).EVENT_BUS_NAME };
}

const EmailConfig = z.object({ EMAIL_FROM: z.string().check(z.minLength(3)), SES_CONFIGURATION_SET: z.optional(z.string().check(z.minLength(1))) });

export function emailConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = EmailConfig.parse(env);
  return { from: parsed.EMAIL_FROM, ...(parsed.SES_CONFIGURATION_SET ? { configurationSet: parsed.SES_CONFIGURATION_SET } : {}) };
}

const TokenConfig = z.object({ TOKEN_SECRET: z.string().check(z.minLength(32)) });

export function tokenConfig(env: NodeJS.ProcessEnv = process.env) {
  return { secret: TokenConfig.parse(env).TOKEN_SECRET };
}

const Arn = z.string().check(z.regex(/^arn:[\w-]+:[\w-]+:[\w-]*:\d{12}:\S+$/));
const CampaignControlConfig = z.object({
  CAMPAIGN_TRIGGER_ARN: Arn,
  CAMPAIGN_STARTER_ARN: Arn,
  SCHEDULER_ROLE_ARN: z.string().check(z.regex(/^arn:[\w-]+:iam::\d{12}:role\/\S+$/)),
  SCHEDULE_GROUP: z.string().check(z.regex(/^[0-9a-zA-Z._-]{1,64}$/)),
  CAMPAIGN_DEAD_LETTER_ARN: Arn,
});

/** Where campaign rules and one-off schedules deliver (functions/campaigns/campaign-control.ts). */
export function campaignControlConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = CampaignControlConfig.parse(env);
  return {
    triggerArn: parsed.CAMPAIGN_TRIGGER_ARN,
    starterArn: parsed.CAMPAIGN_STARTER_ARN,
    schedulerRoleArn: parsed.SCHEDULER_ROLE_ARN,
    scheduleGroup: parsed.SCHEDULE_GROUP,
    deadLetterArn: parsed.CAMPAIGN_DEAD_LETTER_ARN,
  };
}
