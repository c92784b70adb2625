// Environment checks for composition roots, by hand rather than with zod. A module a cold start
// imports must not reach zod at all: with split bundles (infra/bundling.ts) every zod module a
// lazily loaded route uses would then be compiled at cold start too (~40 KB, ~4 ms). Each check
// names the variable and the rule it broke, never the value (it may be a secret or an ARN).

export interface EnvRule {
  /** What the value must look like (anchored). */
  readonly pattern?: RegExp;
  readonly minLength?: number;
  readonly maxLength?: number;
  /** Said in the error: what the variable holds. */
  readonly expected: string;
}

/** The variable's value, which must be set and follow `rule`; otherwise the init fails. */
export function requiredEnv(env: NodeJS.ProcessEnv, name: string, rule: EnvRule): string {
  const value = env[name];
  if (value === undefined || value === '') throw new Error(`${name}: expected ${rule.expected}, got nothing`);
  return checked(name, value, rule);
}

/** Like requiredEnv, but unset (or empty) answers undefined. */
export function optionalEnv(env: NodeJS.ProcessEnv, name: string, rule: EnvRule): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : checked(name, value, rule);
}

function checked(name: string, value: string, rule: EnvRule): string {
  const tooShort = rule.minLength !== undefined && value.length < rule.minLength;
  const tooLong = rule.maxLength !== undefined && value.length > rule.maxLength;
  if (tooShort || tooLong || (rule.pattern && !rule.pattern.test(value))) throw new Error(`${name}: expected ${rule.expected}`);
  return value;
}

/** An AWS ARN (partition, service, region, account, resource). */
export const ARN: EnvRule = { pattern: /^arn:[\w-]+:[\w-]+:[\w-]*:\d{12}:\S+$/, expected: 'an ARN' };
