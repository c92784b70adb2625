import * as z from '#domain/shared/zod.ts';
import type { ScheduleTarget } from '#domain/shared/ports.ts';
import { SCHEDULE_TARGETS } from '#infra/routes.ts';
import type { OneOffScheduleSettings } from './one-off-schedules.ts';

const BusConfig = z.onFirstUse(() => z.object({ EVENT_BUS_NAME: z.string().check(z.minLength(1)) }));

// Validated once at cold start; a missing variable fails the init, not a request. tableConfig
// lives in a module of its own without zod: import it from there on a cold path.
export { tableConfig } from './table-config.ts';

export function busConfig(env: NodeJS.ProcessEnv = process.env) {
  return { busName: BusConfig.parse(env).EVENT_BUS_NAME };
}

const EmailConfig = z.onFirstUse(() => z.object({ EMAIL_FROM: z.string().check(z.minLength(3)), SES_CONFIGURATION_SET: z.optional(z.string().check(z.minLength(1))) }));

export function emailConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = EmailConfig.parse(env);
  return { from: parsed.EMAIL_FROM, ...(parsed.SES_CONFIGURATION_SET ? { configurationSet: parsed.SES_CONFIGURATION_SET } : {}) };
}

const Arn = z.onFirstUse(() => z.string().check(z.regex(/^arn:[\w-]+:[\w-]+:[\w-]*:\d{12}:\S+$/)));
const CampaignControlConfig = z.onFirstUse(() => z.object({
  CAMPAIGN_TRIGGER_ARN: Arn,
  CAMPAIGN_DEAD_LETTER_ARN: Arn,
}));

/** Where campaign rules deliver and where their one-off schedules live (functions/campaigns/campaign-control.ts). */
export function campaignControlConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = CampaignControlConfig.parse(env);
  return { triggerArn: parsed.CAMPAIGN_TRIGGER_ARN, deadLetterArn: parsed.CAMPAIGN_DEAD_LETTER_ARN, schedules: scheduleConfig(env) };
}

const ScheduleTargetArns = z.onFirstUse(() => z.strictObject(Object.fromEntries(SCHEDULE_TARGETS.map((name) => [name, Arn])) as Record<ScheduleTarget, typeof Arn>));

const ScheduleConfig = z.onFirstUse(() => z.object({
  SCHEDULER_ROLE_ARN: z.string().check(z.regex(/^arn:[\w-]+:iam::\d{12}:role\/\S+$/)),
  SCHEDULE_GROUP: z.string().check(z.regex(/^[0-9a-zA-Z._-]{1,64}$/)),
  SCHEDULE_DEAD_LETTER_ARN: Arn,
  /** JSON: `{"<target function>": "<its ARN>"}` for every SCHEDULE_TARGETS entry. */
  SCHEDULE_TARGET_ARNS: z.string().check(z.minLength(2)),
}));

/** One-off schedules (functions/shared/one-off-schedules.ts): the group, the role Scheduler assumes, the targets' ARNs. */
export function scheduleConfig(env: NodeJS.ProcessEnv = process.env): OneOffScheduleSettings {
  const parsed = ScheduleConfig.parse(env);
  return {
    group: parsed.SCHEDULE_GROUP,
    roleArn: parsed.SCHEDULER_ROLE_ARN,
    targets: ScheduleTargetArns.parse(parseJson(parsed.SCHEDULE_TARGET_ARNS, 'SCHEDULE_TARGET_ARNS')),
    deadLetterArn: parsed.SCHEDULE_DEAD_LETTER_ARN,
  };
}

function parseJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${name} must be JSON`);
  }
}

const WarehouseConfig = z.onFirstUse(() => z.object({
  ANALYTICS_BUCKET: z.string().check(z.regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/)),
  /** Where the tables start in the bucket (`tables/`); Athena's results live beside them under their own prefix. */
  WAREHOUSE_PREFIX: z._default(z.string().check(z.regex(/^([a-z0-9_-]+\/)*$/)), ''),
}));

/** The warehouse export's bucket (functions/warehouse). */
export function warehouseConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = WarehouseConfig.parse(env);
  return { bucket: parsed.ANALYTICS_BUCKET, prefix: parsed.WAREHOUSE_PREFIX };
}

const CubeConfig = z.onFirstUse(() => z.object({
  /** The Athena workgroup of the warehouse (its result location and bytes-scanned cutoff). */
  ATHENA_WORKGROUP: z.string().check(z.minLength(1), z.maxLength(128)),
  /** The Glue database of the warehouse tables. */
  ANALYTICS_DATABASE: z.string().check(z.regex(/^[a-z0-9_]{1,255}$/)),
}));

/** Where the cube queries the warehouse on AWS (the analytics function, `Access.warehouseQueries`). */
export function cubeConfig(env: NodeJS.ProcessEnv = process.env) {
  const parsed = CubeConfig.parse(env);
  return { workGroup: parsed.ATHENA_WORKGROUP, database: parsed.ANALYTICS_DATABASE };
}
