import { createHash } from 'node:crypto';
import {
  type CreateScheduleCommandInput,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  SchedulerClient,
  type SchedulerClientConfig,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import type { Clock, OneOffSchedules, ScheduleTarget } from '#domain/shared/ports.ts';
import { boundedClientConfig, type ClientLimits } from './bounded-client.ts';

// One-off EventBridge Scheduler schedules (`at()`) in the stack's group (crm-schedules), each
// deleted by Scheduler once it has invoked its target: a campaign's start or delayed send, the end
// of an erasure's grace period, a satisfaction survey's send time.

/**
 * EventBridge and Scheduler control-plane calls answer in well under a second; bounded like every
 * other dependency (table-client.ts, ses-client.ts), so an API request that schedules something
 * answers 503 within its timeout instead of hanging.
 */
export const CONTROL_CLIENT_LIMITS: ClientLimits = { connectionTimeoutMs: 1_000, requestTimeoutMs: 3_000, maxAttempts: 3 };

export interface OneOffScheduleSettings {
  readonly group: string;
  /** The role Scheduler assumes to invoke the targets (and to write to the dead-letter queue). */
  readonly roleArn: string;
  readonly targets: Readonly<Record<ScheduleTarget, string>>;
  readonly deadLetterArn: string;
}

/**
 * Scheduler fires within the minute of its `at()` and its documentation promises nothing for a
 * time already past, so a time earlier than this far ahead is moved to it: the soonest moment that
 * is still certain to be in the future when the request arrives.
 */
export const EARLIEST_LEAD_MS = 60_000;
const NAME = /^[0-9a-zA-Z._-]{1,64}$/;

/**
 * Schedule names are 1-64 characters of [0-9a-zA-Z-_.]. A name that is one is kept (readable in the
 * console); any other becomes its first 31 safe characters, a dot and 128 bits of its SHA-256.
 */
export function scheduleNameFor(name: string): string {
  if (NAME.test(name)) return name;
  const readable = name.replace(/[^0-9a-zA-Z_-]/g, '_').slice(0, 31);
  return `${readable}.${createHash('sha256').update(name).digest('hex').slice(0, 32)}`;
}

/** `at(yyyy-mm-ddThh:mm:ss)` in UTC, never sooner than EARLIEST_LEAD_MS from now. */
export function atExpression(at: string, now: Date): string {
  const requested = new Date(at);
  if (Number.isNaN(requested.getTime())) throw new Error(`Not a time: ${at}`);
  const when = new Date(Math.max(requested.getTime(), now.getTime() + EARLIEST_LEAD_MS));
  return `at(${when.toISOString().slice(0, 19)})`;
}

export type OneOffScheduleClientSettings = OneOffScheduleSettings & {
  /** Client settings (endpoint, credentials, region) for the local runtime; AWS's defaults when absent. */
  readonly scheduler?: SchedulerClientConfig;
};

/** Builds the client once (call it at cold start, in module scope): scheduleConfig() on AWS, the local scheduler's settings locally. */
export function oneOffSchedulesFor(settings: OneOffScheduleClientSettings, clock: Clock): OneOffSchedules {
  return schedulerOneOffSchedules(new SchedulerClient({ ...boundedClientConfig(CONTROL_CLIENT_LIMITS), ...settings.scheduler }), settings, clock);
}

export function schedulerOneOffSchedules(client: SchedulerClient, settings: OneOffScheduleSettings, clock: Clock): OneOffSchedules {
  return {
    async at(name, at, target, input) {
      const request: CreateScheduleCommandInput = {
        Name: scheduleNameFor(name),
        GroupName: settings.group,
        Description: name.slice(0, 512),
        ScheduleExpression: atExpression(at, clock.now()),
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: 'OFF' },
        State: 'ENABLED',
        ActionAfterCompletion: 'DELETE',
        Target: {
          Arn: settings.targets[target],
          RoleArn: settings.roleArn,
          Input: JSON.stringify(input),
          // Scheduler's own maxima: a campaign start, a delayed send, an erasure or a survey is worth a day of retries.
          RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
          DeadLetterConfig: { Arn: settings.deadLetterArn },
        },
      };
      // Create, or replace the one that exists; one that fired (and was deleted) between the two
      // calls is created again.
      for (let attempt = 1; ; attempt++) {
        try {
          await client.send(new CreateScheduleCommand(request));
          return;
        } catch (error) {
          if ((error as Error).name !== 'ConflictException') throw error;
        }
        try {
          await client.send(new UpdateScheduleCommand(request));
          return;
        } catch (error) {
          if ((error as Error).name !== 'ResourceNotFoundException' || attempt >= 3) throw error;
        }
      }
    },

    async cancel(name) {
      try {
        await client.send(new DeleteScheduleCommand({ Name: scheduleNameFor(name), GroupName: settings.group }));
      } catch (error) {
        if ((error as Error).name !== 'ResourceNotFoundException') throw error;
      }
    },
  };
}
