import { describe, expect, it } from 'vitest';
import { DEFAULT_TIMEOUT_SECONDS } from '#infra/cdk/crm-function.construct.ts';
import { CAMPAIGN_CONTROL_TARGETS } from '#infra/cdk/crm-campaign-control.construct.ts';
import { ASYNC_INVOKE, type AsyncInvokeDef, FUNCTIONS, type FunctionName, RULES, SCHEDULES } from '#infra/topology.ts';
import { SCHEDULE_TARGETS } from '#infra/routes.ts';
import { synthCrm } from './crm-app.ts';
import { WORKER_LEASE } from '#functions/analytics/analytics.composition.ts';

// Every asynchronously invoked function says how Lambda retries it (EventInvokeConfig), and a
// schedule's retry never runs next to its next tick.

const crm = synthCrm();
const configs = Object.values(crm.resources('AWS::Lambda::EventInvokeConfig'));
const retriesOf = (name: FunctionName) => (ASYNC_INVOKE as Partial<Record<FunctionName, AsyncInvokeDef>>)[name];

/** Functions that EventBridge rules, schedules or one-off schedules invoke (asynchronously). */
const asyncFunctions = new Set<FunctionName>([
  ...RULES.flatMap((r) => (r.target.kind === 'function' ? [r.target.function] : [])),
  ...SCHEDULES.map((s) => s.function),
  ...SCHEDULE_TARGETS,
  ...CAMPAIGN_CONTROL_TARGETS,
]);

/** When the last retry of a failed run can end, in seconds after the run began: Lambda waits ~1 min, then ~2 min. */
const lastRetryEnds = (timeout: number, retries: number) => timeout * (1 + retries) + (retries >= 1 ? 60 : 0) + (retries >= 2 ? 120 : 0);

describe('EventInvokeConfig', () => {
  it('is set for exactly the asynchronously invoked functions', () => {
    expect(Object.keys(ASYNC_INVOKE).sort()).toEqual([...asyncFunctions].sort());
    expect(configs).toHaveLength(asyncFunctions.size);
  });

  it.each([...asyncFunctions])('%s: its retries and maximum event age in the template', (name) => {
    const retries = retriesOf(name)!;
    const config = configs.find((c) => c.Properties?.FunctionName?.Ref === crm.functionId(name));
    expect(config?.Properties).toEqual({
      FunctionName: { Ref: crm.functionId(name) },
      Qualifier: '$LATEST',
      MaximumRetryAttempts: retries.retryAttempts,
      MaximumEventAgeInSeconds: retries.maxEventAgeSeconds,
    });
    expect(retries.maxEventAgeSeconds).toBeGreaterThanOrEqual(60);
    expect(retries.maxEventAgeSeconds).toBeLessThanOrEqual(6 * 3600);
  });

  it.each(SCHEDULES.map((s) => [s.name, s] as const))('schedule %s: no retry runs next to the next tick', (_, schedule) => {
    const retries = retriesOf(schedule.function)!;
    const timeout: number = (FUNCTIONS[schedule.function] as { timeoutSeconds?: number }).timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
    expect(lastRetryEnds(timeout, retries.retryAttempts)).toBeLessThanOrEqual(schedule.everyMinutes * 60);
  });

  it('gives the SLA sweep no retry and drops a tick queued for a minute (the next tick has come)', () => {
    expect(retriesOf('slaSweeper')).toEqual({ retryAttempts: 0, maxEventAgeSeconds: 60 });
    expect(SCHEDULES.find((s) => s.function === 'slaSweeper')?.everyMinutes).toBe(1);
  });

  it('gives event consumers every retry Lambda allows, for its longest event age', () => {
    for (const rule of RULES) {
      if (rule.target.kind !== 'function' || rule.target.function === 'analyticsJobs') continue;
      expect(retriesOf(rule.target.function), rule.name).toEqual({ retryAttempts: 2, maxEventAgeSeconds: 6 * 3600 });
    }
  });
});

describe("the analytics worker's lease", () => {
  it('counts the deliveries Lambda makes of one fit event: the first and ASYNC_INVOKE.analyticsJobs retries', () => {
    expect(WORKER_LEASE).toEqual({ timeoutSeconds: FUNCTIONS.analyticsJobs.timeoutSeconds, attempts: ASYNC_INVOKE.analyticsJobs.retryAttempts + 1 });
  });
});
