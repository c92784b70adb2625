import type { ScheduleTarget } from '#domain/shared/ports.ts';
import { SCHEDULE_TARGETS } from '#infra/schedule-targets.ts';
import { ARN, optionalEnv, requiredEnv } from './env.ts';
import type { OneOffScheduleSettings } from './one-off-schedules.ts';

// Validated once at cold start; a missing or malformed variable fails the init, not a request.
// Checked by hand (./env.ts), not with zod: composition roots import this module on their cold path.
export { tableConfig } from './table-config.ts';

export function busConfig(env: NodeJS.ProcessEnv = process.env) {
  return { busName: requiredEnv(env, 'EVENT_BUS_NAME', { expected: 'the event bus name' }) };
}

export function emailConfig(env: NodeJS.ProcessEnv = process.env) {
  const from = requiredEnv(env, 'EMAIL_FROM', { minLength: 3, expected: 'the sender address' });
  const configurationSet = optionalEnv(env, 'SES_CONFIGURATION_SET', { expected: 'an SES configuration set name' });
  return { from, ...(configurationSet ? { configurationSet } : {}) };
}

/** The link-token keys' SSM parameter: its name (not its value) is what the function's environment carries. */
export function tokenKeysConfig(env: NodeJS.ProcessEnv = process.env) {
  return { parameterName: requiredEnv(env, 'TOKEN_KEYS_PARAMETER', { pattern: /^\/[\w./-]{1,1010}$/, expected: 'an SSM parameter name starting with /' }) };
}

/** Where campaign rules deliver and where their one-off schedules live (functions/campaigns/campaign-control.ts). */
export function campaignControlConfig(env: NodeJS.ProcessEnv = process.env) {
  return {
    triggerArn: requiredEnv(env, 'CAMPAIGN_TRIGGER_ARN', ARN),
    deadLetterArn: requiredEnv(env, 'CAMPAIGN_DEAD_LETTER_ARN', ARN),
    schedules: scheduleConfig(env),
  };
}

/** One-off schedules (functions/shared/one-off-schedules.ts): the group, the role Scheduler assumes, the targets' ARNs. */
export function scheduleConfig(env: NodeJS.ProcessEnv = process.env): OneOffScheduleSettings {
  const roleArn = requiredEnv(env, 'SCHEDULER_ROLE_ARN', { pattern: /^arn:[\w-]+:iam::\d{12}:role\/\S+$/, expected: 'an IAM role ARN' });
  const group = requiredEnv(env, 'SCHEDULE_GROUP', { pattern: /^[0-9a-zA-Z._-]{1,64}$/, expected: 'a schedule group name' });
  const deadLetterArn = requiredEnv(env, 'SCHEDULE_DEAD_LETTER_ARN', ARN);
  /** JSON: `{"<target function>": "<its ARN>"}` for every SCHEDULE_TARGETS entry, and nothing else. */
  const targetsJson = requiredEnv(env, 'SCHEDULE_TARGET_ARNS', { minLength: 2, expected: 'a JSON object of target ARNs' });
  return { group, roleArn, targets: scheduleTargets(parseJson(targetsJson, 'SCHEDULE_TARGET_ARNS')), deadLetterArn };
}

function scheduleTargets(value: unknown): Record<ScheduleTarget, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('SCHEDULE_TARGET_ARNS: expected a JSON object');
  const given = value as Record<string, unknown>;
  const unknown = Object.keys(given).filter((name) => !(SCHEDULE_TARGETS as readonly string[]).includes(name));
  if (unknown.length) throw new Error(`SCHEDULE_TARGET_ARNS: unknown targets ${unknown.join(', ')}`);
  const targets = {} as Record<ScheduleTarget, string>;
  for (const name of SCHEDULE_TARGETS) {
    const arn = given[name];
    if (typeof arn !== 'string') throw new Error(`SCHEDULE_TARGET_ARNS: expected the ARN of ${name}`);
    targets[name] = requiredEnv({ [name]: arn }, name, ARN);
  }
  return targets;
}

function parseJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${name} must be JSON`);
  }
}

/** The warehouse export's bucket (functions/warehouse). */
export function warehouseConfig(env: NodeJS.ProcessEnv = process.env) {
  return {
    bucket: requiredEnv(env, 'ANALYTICS_BUCKET', { pattern: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, expected: 'an S3 bucket name' }),
    /** Where the tables start in the bucket (`tables/`); Athena's results live beside them under their own prefix. */
    prefix: optionalEnv(env, 'WAREHOUSE_PREFIX', { pattern: /^([a-z0-9_-]+\/)*$/, expected: 'a key prefix ending in /' }) ?? '',
  };
}

/** Where the cube queries the warehouse on AWS (the analytics function, `Access.warehouseQueries`). */
export function cubeConfig(env: NodeJS.ProcessEnv = process.env) {
  return {
    /** The Athena workgroup of the warehouse (its result location and bytes-scanned cutoff). */
    workGroup: requiredEnv(env, 'ATHENA_WORKGROUP', { minLength: 1, maxLength: 128, expected: 'an Athena workgroup name' }),
    /** The Glue database of the warehouse tables. */
    database: requiredEnv(env, 'ANALYTICS_DATABASE', { pattern: /^[a-z0-9_]{1,255}$/, expected: 'a Glue database name' }),
  };
}
