import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateScheduleCommand, GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { campaignControlFor } from '../../functions/campaigns/campaign-control.ts';
import { LOCAL_AWS } from '../../infra/local/dynamodb-local.ts';
import { localCampaignControl } from '../../infra/local/functions.ts';
import { functionNameOfArn, localFunctionArn } from '../../infra/local/local-arns.ts';
import { startScheduleApi } from '../../infra/local/schedule-api.ts';
import { startScheduler, VirtualClock } from '../../infra/local/scheduler.ts';

// One-off schedules on the local scheduler, created through EventBridge Scheduler's API by the very
// adapter the campaigns functions use on AWS: each fires once at its virtual time, never before, is
// deleted after, is retried while its target fails, and survives a restart with a data directory.

const stops: (() => Promise<void> | void)[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

type Received = { fn: string; payload: unknown };
const HOUR = 3600;

async function scheduler(options: { dir?: string; clock?: VirtualClock; deliver?: (fn: string, payload: unknown) => Promise<unknown> } = {}) {
  const received: Received[] = [];
  const clock = options.clock ?? new VirtualClock();
  const api = await startScheduleApi({
    clock,
    groups: ['crm-schedules'],
    functionTarget: (arn) => {
      const fn = functionNameOfArn(arn);
      if (fn !== 'campaignTrigger' && fn !== 'campaignStarter') return undefined;
      return async (payload) => {
        if (options.deliver) await options.deliver(fn, payload);
        received.push({ fn, payload });
      };
    },
    ...(options.dir ? { dir: options.dir } : {}),
  });
  stops.push(() => api.stop());
  // A tick far beyond the test's runtime: only advance() fires here.
  const ticks = startScheduler(clock, [], 3_600_000, api);
  stops.push(() => ticks.stop());
  const control = campaignControlFor(localCampaignControl({ bus: 'http://127.0.0.1:9', scheduler: api.endpoint }), clock);
  const client = new SchedulerClient({ endpoint: api.endpoint, ...LOCAL_AWS, maxAttempts: 1 });
  const advance = async (seconds: number) => {
    const result = await ticks.advance(seconds);
    await api.idle();
    return result;
  };
  return { api, clock, control, client, received, advance };
}

const inAnHour = (clock: VirtualClock) => new Date(clock.now().getTime() + HOUR * 1000).toISOString();
const get = (client: SchedulerClient, Name: string) => client.send(new GetScheduleCommand({ Name, GroupName: 'crm-schedules' }));

describe('local one-off schedules', () => {
  it('fire once at their virtual time, not before, with their input, and are deleted after', async () => {
    const s = await scheduler();
    await s.control.schedules.at('campaign-start-c-1', inAnHour(s.clock), 'campaignStarter', { campaignId: 'c-1' });
    expect(await get(s.client, 'campaign-start-c-1')).toMatchObject({ GroupName: 'crm-schedules', ActionAfterCompletion: 'DELETE', Target: { Arn: localFunctionArn('campaignStarter') } });

    expect((await s.advance(HOUR - 60)).fired).toEqual([]);
    expect(s.received).toEqual([]);
    expect((await s.advance(61)).fired).toEqual(['crm-schedules/campaign-start-c-1']);
    expect(s.received).toEqual([{ fn: 'campaignStarter', payload: { campaignId: 'c-1' } }]);
    await expect(get(s.client, 'campaign-start-c-1')).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await s.advance(HOUR);
    expect(s.received).toHaveLength(1);
  });

  it('are replaced by at() of the same name: the last time and input stand', async () => {
    const s = await scheduler();
    await s.control.schedules.at('delay-1', inAnHour(s.clock), 'campaignTrigger', { n: 1 });
    await s.control.schedules.at('delay-1', new Date(s.clock.now().getTime() + 2 * HOUR * 1000).toISOString(), 'campaignTrigger', { n: 2 });
    await s.advance(HOUR + 60);
    expect(s.received).toEqual([]);
    await s.advance(HOUR);
    expect(s.received).toEqual([{ fn: 'campaignTrigger', payload: { n: 2 } }]);
  });

  it('never fire once cancelled, and cancelling again is no error', async () => {
    const s = await scheduler();
    await s.control.schedules.at('campaign-start-c-2', inAnHour(s.clock), 'campaignStarter', {});
    await s.control.schedules.cancel('campaign-start-c-2');
    await s.control.schedules.cancel('campaign-start-c-2');
    await s.advance(2 * HOUR);
    expect(s.received).toEqual([]);
  });

  it('a time already past fires a minute later (the adapter), or at the next tick when the API is given it directly', async () => {
    const s = await scheduler();
    await s.control.schedules.at('late', '2020-01-01T00:00:00Z', 'campaignStarter', { late: true });
    await s.advance(30);
    expect(s.received).toEqual([]);
    await s.advance(31);
    expect(s.received).toEqual([{ fn: 'campaignStarter', payload: { late: true } }]);

    await s.client.send(
      new CreateScheduleCommand({
        Name: 'past',
        GroupName: 'crm-schedules',
        ScheduleExpression: 'at(2020-01-01T00:00:00)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: localFunctionArn('campaignTrigger'), RoleArn: 'arn:aws:iam::000000000000:role/r', Input: '{"past":true}' },
      }),
    );
    await s.advance(1);
    expect(s.received.at(-1)).toEqual({ fn: 'campaignTrigger', payload: { past: true } });
  });

  it('retry a failing target with backoff until it takes the input, then delete the schedule', async () => {
    let failures = 2;
    const s = await scheduler({
      deliver: async () => {
        if (failures-- > 0) throw new Error('target down');
      },
    });
    await s.control.schedules.at('flaky', inAnHour(s.clock), 'campaignStarter', { campaignId: 'c-3' });
    await s.advance(HOUR + 60);
    expect(s.received).toEqual([{ fn: 'campaignStarter', payload: { campaignId: 'c-3' } }]);
    await expect(get(s.client, 'flaky')).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('give up after the retry policy and keep the input in the dead-letter folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'schedules-'));
    dirs.push(dir);
    const errorLog = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const s = await scheduler({
        dir,
        deliver: async () => {
          throw new Error('always');
        },
      });
      await s.client.send(
        new CreateScheduleCommand({
          Name: 'doomed',
          GroupName: 'crm-schedules',
          ScheduleExpression: 'at(2020-01-01T00:00:00)',
          FlexibleTimeWindow: { Mode: 'OFF' },
          ActionAfterCompletion: 'DELETE',
          Target: { Arn: localFunctionArn('campaignStarter'), RoleArn: 'arn:aws:iam::000000000000:role/r', Input: '{}', RetryPolicy: { MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 60 } },
        }),
      );
      await s.advance(1);
      expect(String(errorLog.mock.calls[0]?.[0])).toContain('dead-letter');
      await expect(get(s.client, 'doomed')).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
      expect(readdirSync(join(dir, 'dead-letter'))).toHaveLength(1);
    } finally {
      errorLog.mockRestore();
    }
  });

  it('survive a restart with a data directory, and fire then', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'schedules-'));
    dirs.push(dir);
    const clockFile = join(dir, 'clock.json');
    const first = await scheduler({ dir, clock: new VirtualClock({ file: clockFile }) });
    await first.control.schedules.at('campaign-start-c-4', inAnHour(first.clock), 'campaignStarter', { campaignId: 'c-4' });
    for (const stop of stops.splice(0).reverse()) await stop();

    const second = await scheduler({ dir, clock: new VirtualClock({ file: clockFile }) });
    expect(await get(second.client, 'campaign-start-c-4')).toMatchObject({ Name: 'campaign-start-c-4' });
    await second.advance(HOUR + 60);
    expect(second.received).toEqual([{ fn: 'campaignStarter', payload: { campaignId: 'c-4' } }]);
  });

  it('answer with Scheduler error types: conflict, unknown group, what is not emulated', async () => {
    const s = await scheduler();
    const request = {
      Name: 'x',
      GroupName: 'crm-schedules',
      ScheduleExpression: 'at(2030-01-01T00:00:00)',
      FlexibleTimeWindow: { Mode: 'OFF' as const },
      Target: { Arn: localFunctionArn('campaignStarter'), RoleArn: 'arn:aws:iam::000000000000:role/r' },
    };
    await s.client.send(new CreateScheduleCommand(request));
    await expect(s.client.send(new CreateScheduleCommand(request))).rejects.toMatchObject({ name: 'ConflictException' });
    await expect(s.client.send(new CreateScheduleCommand({ ...request, GroupName: 'nope' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    await expect(s.client.send(new CreateScheduleCommand({ ...request, Name: 'y', ScheduleExpression: 'rate(5 minutes)' }))).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(s.client.send(new CreateScheduleCommand({ ...request, Name: 'y', ScheduleExpression: 'at(2030-02-30T00:00:00)' }))).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(s.client.send(new CreateScheduleCommand({ ...request, Name: 'y', ScheduleExpression: 'at(2030-13-01T00:00:00)' }))).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(s.client.send(new CreateScheduleCommand({ ...request, Name: 'y', Target: { ...request.Target, Arn: localFunctionArn('nobody') } }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });
});
