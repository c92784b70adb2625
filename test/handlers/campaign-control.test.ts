import {
  DeleteRuleCommand,
  EventBridgeClient,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  ResourceNotFoundException as RuleNotFound,
} from '@aws-sdk/client-eventbridge';
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException as ScheduleNotFound,
  SchedulerClient,
  ThrottlingException,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { ConflictError } from '../../domain/shared/errors.ts';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { campaignControlFor, type CampaignControlSettings } from '../../functions/campaigns/campaign-control.ts';
import { campaignRuleName, triggerInputTemplate } from '../../functions/campaigns/campaign-triggers.ts';
import { atExpression, scheduleNameFor } from '../../functions/shared/one-off-schedules.ts';
import { campaignControlConfig, scheduleConfig } from '../../functions/shared/config.ts';
import { dependencyFailure } from '../../functions/shared/dependency-errors.ts';
import { fakeClock } from '../support/fakes.ts';
import { unreachableEndpoints } from '../support/unreachable.ts';

// The control-plane adapters at the SDK edge: the exact requests they send, and how they read
// AWS's answers (replace on conflict, not found is no error, failed entries are errors).

const arn = (name: string) => `arn:aws:lambda:eu-west-1:123456789012:function:${name}`;
const TARGETS = { campaignStarter: arn('CrmCampaignStarter'), campaignTrigger: arn('CrmCampaignTrigger'), scheduledErasure: arn('CrmScheduledErasure'), csatSurveys: arn('CrmCsatSurveys'), activityReminders: arn('CrmActivityReminders') };
const ENV = {
  CAMPAIGN_TRIGGER_ARN: TARGETS.campaignTrigger,
  CAMPAIGN_DEAD_LETTER_ARN: 'arn:aws:sqs:eu-west-1:123456789012:CrmDeliveryFailures',
  SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/CrmScheduler',
  SCHEDULE_GROUP: 'crm-schedules',
  SCHEDULE_DEAD_LETTER_ARN: 'arn:aws:sqs:eu-west-1:123456789012:CrmDeliveryFailures',
  SCHEDULE_TARGET_ARNS: JSON.stringify(TARGETS),
};
const configured = campaignControlConfig(ENV);
const settings: CampaignControlSettings = { ...configured, schedules: { ...configured.schedules, scheduler: { region: 'eu-west-1' } }, eventBridge: { region: 'eu-west-1' } };
const clock = fakeClock('2026-03-01T10:00:00.000Z');
const eventBridge = mockClient(EventBridgeClient);
const scheduler = mockClient(SchedulerClient);
const control = campaignControlFor(settings, clock);

beforeEach(() => {
  eventBridge.reset();
  scheduler.reset();
  eventBridge.on(PutRuleCommand).resolves({ RuleArn: 'arn' });
  eventBridge.on(PutTargetsCommand).resolves({ FailedEntryCount: 0, FailedEntries: [] });
  eventBridge.on(RemoveTargetsCommand).resolves({ FailedEntryCount: 0, FailedEntries: [] });
  eventBridge.on(DeleteRuleCommand).resolves({});
  scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn' });
  scheduler.on(UpdateScheduleCommand).resolves({ ScheduleArn: 'arn' });
  scheduler.on(DeleteScheduleCommand).resolves({});
});
afterAll(() => {
  eventBridge.restore();
  scheduler.restore();
});

const pattern = { source: ['crm.customers'], 'detail-type': ['CustomerCreated'] };

describe('campaignControlConfig', () => {
  it('reads the rule target, the schedule group, role and every schedule target, and refuses a missing or malformed one', () => {
    expect(campaignControlConfig(ENV)).toEqual({
      triggerArn: ENV.CAMPAIGN_TRIGGER_ARN,
      deadLetterArn: ENV.CAMPAIGN_DEAD_LETTER_ARN,
      schedules: { group: 'crm-schedules', roleArn: ENV.SCHEDULER_ROLE_ARN, targets: TARGETS, deadLetterArn: ENV.SCHEDULE_DEAD_LETTER_ARN },
    });
    expect(() => campaignControlConfig({ ...ENV, SCHEDULER_ROLE_ARN: undefined })).toThrow();
    expect(() => campaignControlConfig({ ...ENV, SCHEDULE_GROUP: 'has space' })).toThrow();
    expect(() => campaignControlConfig({ ...ENV, CAMPAIGN_TRIGGER_ARN: 'campaignTrigger' })).toThrow();
    expect(() => scheduleConfig({ ...ENV, SCHEDULE_TARGET_ARNS: 'not json' })).toThrow(/must be JSON/);
    expect(() => scheduleConfig({ ...ENV, SCHEDULE_TARGET_ARNS: JSON.stringify({ ...TARGETS, csatSurveys: undefined }) })).toThrow();
    expect(() => scheduleConfig({ ...ENV, SCHEDULE_TARGET_ARNS: JSON.stringify({ ...TARGETS, other: arn('Other') }) })).toThrow();
  });
});

describe('CampaignTriggers on EventBridge', () => {
  it('enable puts the rule campaign-<digest> on the crm bus, then its one target with the {campaignId, event} transformer', async () => {
    await control.triggers.enable('c-1', pattern);
    const name = campaignRuleName('c-1');
    expect(name).toMatch(/^campaign-[0-9a-f]{32}$/);
    expect(eventBridge.commandCalls(PutRuleCommand).map((c) => c.args[0].input)).toEqual([
      { EventBusName: 'crm', Name: name, Description: 'Trigger of campaign c-1', EventPattern: JSON.stringify(pattern), State: 'ENABLED' },
    ]);
    expect(eventBridge.commandCalls(PutTargetsCommand).map((c) => c.args[0].input)).toEqual([
      {
        EventBusName: 'crm',
        Rule: name,
        Targets: [
          {
            Id: 'campaign-trigger',
            Arn: ENV.CAMPAIGN_TRIGGER_ARN,
            InputTransformer: { InputTemplate: '{"campaignId": "c-1", "event": <aws.events.event.json>}' },
            RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
            DeadLetterConfig: { Arn: ENV.CAMPAIGN_DEAD_LETTER_ARN },
          },
        ],
      },
    ]);
  });

  it('keeps rule names within 64 characters for the longest ids, distinct and stable', () => {
    const long = 'x'.repeat(128);
    expect(campaignRuleName(long).length).toBeLessThanOrEqual(64);
    expect(campaignRuleName(long)).toBe(campaignRuleName(long));
    expect(campaignRuleName(long)).not.toBe(campaignRuleName(`${'x'.repeat(127)}y`));
  });

  it('writes an id into the template as a JSON string no placeholder can hide in', () => {
    const template = triggerInputTemplate('a"<aws.events.rule-name>\\');
    expect(template).not.toMatch(/<aws\.events\.rule-name>/);
    expect(JSON.parse(template.replace('<aws.events.event.json>', 'null')).campaignId).toBe('a"<aws.events.rule-name>\\');
  });

  it('fails when PutTargets reports a failed entry, named after its code so a passing fault is a 503', async () => {
    eventBridge.on(PutTargetsCommand).resolves({ FailedEntryCount: 1, FailedEntries: [{ TargetId: 'campaign-trigger', ErrorCode: 'InternalFailure', ErrorMessage: 'try later' }] });
    const error = await control.triggers.enable('c-1', pattern).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/InternalFailure: try later/);
    expect(dependencyFailure(error)).toBe('unavailable');
  });

  it("the bus's rule quota reached is a 409 conflict naming the way out, and no target is put", async () => {
    eventBridge.on(PutRuleCommand).rejects(Object.assign(new Error('The requested resource exceeds the maximum number allowed.'), { name: 'LimitExceededException' }));
    const error = await control.triggers.enable('c-301', pattern).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect((error as Error).message).toMatch(/quota/);
    expect(eventBridge.commandCalls(PutTargetsCommand)).toHaveLength(0);
  });

  it('disable removes the target, then deletes the rule', async () => {
    await control.triggers.disable('c-1');
    const name = campaignRuleName('c-1');
    expect(eventBridge.commandCalls(RemoveTargetsCommand).map((c) => c.args[0].input)).toEqual([{ EventBusName: 'crm', Rule: name, Ids: ['campaign-trigger'] }]);
    expect(eventBridge.commandCalls(DeleteRuleCommand).map((c) => c.args[0].input)).toEqual([{ EventBusName: 'crm', Name: name }]);
  });

  it('disable of a rule that is not there is no error', async () => {
    eventBridge.on(RemoveTargetsCommand).rejects(new RuleNotFound({ message: 'Rule does not exist', $metadata: {} }));
    await expect(control.triggers.disable('c-gone')).resolves.toBeUndefined();
    expect(eventBridge.commandCalls(DeleteRuleCommand)).toHaveLength(0);
  });

  it('a rule changed by two callers at once is a passing fault (503), not a 500', async () => {
    eventBridge.on(RemoveTargetsCommand).rejects(Object.assign(new Error('busy'), { name: 'ConcurrentModificationException' }));
    expect(dependencyFailure(await control.triggers.disable('c-1').catch((e: unknown) => e))).toBe('unavailable');
  });
});

describe('OneOffSchedules on EventBridge Scheduler', () => {
  const input = { campaignId: 'c-1' };

  function expectedRequest(name: string, expression: string, arn: string) {
    return {
      Name: name,
      GroupName: 'crm-schedules',
      Description: name,
      ScheduleExpression: expression,
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: arn,
        RoleArn: ENV.SCHEDULER_ROLE_ARN,
        Input: JSON.stringify(input),
        RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
        DeadLetterConfig: { Arn: ENV.SCHEDULE_DEAD_LETTER_ARN },
      },
    };
  }

  it('at() creates an at(...) schedule in UTC for the target function, deleted after it fires', async () => {
    await control.schedules.at('campaign-start-c-1', '2026-03-02T08:30:15.250Z', 'campaignStarter', input);
    expect(scheduler.commandCalls(CreateScheduleCommand).map((c) => c.args[0].input)).toEqual([
      expectedRequest('campaign-start-c-1', 'at(2026-03-02T08:30:15)', TARGETS.campaignStarter),
    ]);
  });

  it('at() targets campaignTrigger for a delayed send', async () => {
    await control.schedules.at('delay-1', '2026-03-02T08:30:00Z', 'campaignTrigger', input);
    expect(scheduler.commandCalls(CreateScheduleCommand)[0]!.args[0].input.Target?.Arn).toBe(ENV.CAMPAIGN_TRIGGER_ARN);
  });

  it('replaces a schedule of that name that exists (ConflictException -> UpdateSchedule with the same request)', async () => {
    scheduler.on(CreateScheduleCommand).rejects(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }));
    await control.schedules.at('campaign-start-c-1', '2026-03-02T08:30:00Z', 'campaignStarter', input);
    const created = scheduler.commandCalls(CreateScheduleCommand)[0]!.args[0].input;
    expect(scheduler.commandCalls(UpdateScheduleCommand).map((c) => c.args[0].input)).toEqual([created]);
  });

  it('creates again when the schedule it meant to replace fired in between', async () => {
    scheduler.on(CreateScheduleCommand).rejectsOnce(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} })).resolves({ ScheduleArn: 'arn' });
    scheduler.on(UpdateScheduleCommand).rejects(new ScheduleNotFound({ message: 'gone', Message: 'gone', $metadata: {} }));
    await control.schedules.at('s', '2026-03-02T08:30:00Z', 'campaignStarter', input);
    expect(scheduler.commandCalls(CreateScheduleCommand)).toHaveLength(2);
  });

  it('moves a time in the past or within the next minute to one minute from now', async () => {
    await control.schedules.at('late', '2020-01-01T00:00:00Z', 'campaignStarter', input);
    await control.schedules.at('soon', '2026-03-01T10:00:30Z', 'campaignStarter', input);
    expect(scheduler.commandCalls(CreateScheduleCommand).map((c) => c.args[0].input.ScheduleExpression)).toEqual([
      'at(2026-03-01T10:01:00)',
      'at(2026-03-01T10:01:00)',
    ]);
    expect(atExpression('2026-03-01T10:01:01Z', clock.now())).toBe('at(2026-03-01T10:01:01)');
    expect(() => atExpression('not a time', clock.now())).toThrow(/Not a time/);
  });

  it('derives a valid, stable, distinct name from one Scheduler would refuse', () => {
    const long = `trigger/${'c'.repeat(128)}/customer#1`;
    const name = scheduleNameFor(long);
    expect(name).toMatch(/^[0-9a-zA-Z._-]{1,64}$/);
    expect(scheduleNameFor(long)).toBe(name);
    expect(scheduleNameFor(`${long}2`)).not.toBe(name);
    expect(scheduleNameFor('campaign-start-c-1')).toBe('campaign-start-c-1');
  });

  it('cancel deletes the schedule in the group; one that already fired or never existed is no error', async () => {
    await control.schedules.cancel('campaign-start-c-1');
    expect(scheduler.commandCalls(DeleteScheduleCommand).map((c) => c.args[0].input)).toEqual([{ Name: 'campaign-start-c-1', GroupName: 'crm-schedules' }]);
    scheduler.on(DeleteScheduleCommand).rejects(new ScheduleNotFound({ message: 'gone', Message: 'gone', $metadata: {} }));
    await expect(control.schedules.cancel('campaign-start-c-1')).resolves.toBeUndefined();
  });

  it('passes any other error on, as a dependency failure when it is one', async () => {
    scheduler.on(DeleteScheduleCommand).rejects(new ThrottlingException({ message: 'slow down', Message: 'slow down', $metadata: {} }));
    const error = await control.schedules.cancel('x').catch((e: unknown) => e);
    expect(dependencyFailure(error)).toBe('unavailable');
  });
});

describe('bounded clients', () => {
  it('an unreachable EventBridge or Scheduler is a dependency failure (503), not a hang or a 500', async () => {
    eventBridge.restore();
    scheduler.restore();
    const endpoints = await unreachableEndpoints();
    try {
      const down = campaignControlFor(
        {
          ...settings,
          eventBridge: { endpoint: endpoints.closed, region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 },
          schedules: { ...settings.schedules, scheduler: { endpoint: endpoints.closed, region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 } },
        },
        clock,
      );
      expect(dependencyFailure(await down.triggers.enable('c-1', pattern).catch((e: unknown) => e))).toBe('unavailable');
      expect(dependencyFailure(await down.schedules.at('s', '2026-03-02T08:30:00Z', 'campaignStarter', {}).catch((e: unknown) => e))).toBe('unavailable');
    } finally {
      await endpoints.close();
      eventBridge.reset();
      scheduler.reset();
    }
  });
});
