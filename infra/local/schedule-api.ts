import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Clock } from '#domain/shared/ports.ts';
import { writeFileAtomic } from './atomic-file.ts';
import { LOCAL_AWS } from './dynamodb-local.ts';
import { type FunctionTarget, LOCAL_ACCOUNT } from './local-arns.ts';

// EventBridge Scheduler's one-off schedules on this machine: the REST-JSON API the
// one-off-schedules adapter calls (CreateSchedule, UpdateSchedule, DeleteSchedule, GetSchedule at
// /schedules/{Name}), and `at()` schedules that fire on the virtual clock (scheduler.ts ticks them
// and POST /_local/clock/advance moves them), invoke their target function with their Input, are
// retried with backoff while it fails, and are deleted after (ActionAfterCompletion DELETE). With a
// data directory they survive a restart; one that was firing when the process died fires again
// (Scheduler delivers at least once too).

interface Target {
  readonly Arn: string;
  readonly RoleArn: string;
  readonly Input?: string;
  readonly RetryPolicy?: { readonly MaximumRetryAttempts?: number; readonly MaximumEventAgeInSeconds?: number };
  readonly DeadLetterConfig?: { readonly Arn?: string };
}

interface Schedule {
  readonly Name: string;
  readonly GroupName: string;
  readonly ScheduleExpression: string;
  readonly ScheduleExpressionTimezone: string;
  readonly FlexibleTimeWindow: { readonly Mode: string; readonly MaximumWindowInMinutes?: number };
  readonly Target: Target;
  readonly ActionAfterCompletion: 'NONE' | 'DELETE';
  readonly State: 'ENABLED' | 'DISABLED';
  readonly Description?: string;
  readonly CreationDate: number;
  readonly LastModificationDate: number;
  /** When it fires (ms since the epoch, virtual time). */
  readonly dueAt: number;
  /** Bumped by every update, so a firing finished after an update leaves the new version alone. */
  readonly revision: number;
  /** Fired, with ActionAfterCompletion NONE: kept, never fired again. */
  readonly completed?: boolean;
}

class SchedulerApiError extends Error {
  readonly type: string;
  readonly status: number;
  constructor(type: string, status: number, message: string) {
    super(message);
    this.type = type;
    this.status = status;
  }
}
const invalid = (message: string) => new SchedulerApiError('ValidationException', 400, message);

const NAME = /^[0-9a-zA-Z._-]{1,64}$/;
const AT = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/;
const TARGET_KEYS = new Set(['Arn', 'RoleArn', 'Input', 'RetryPolicy', 'DeadLetterConfig']);
const MAX_BACKOFF_MS = 5_000;

export interface ScheduleApiOptions {
  readonly clock: Clock;
  /** Schedule groups that exist (besides `default`). */
  readonly groups: readonly string[];
  readonly functionTarget: FunctionTarget;
  /** Keeps schedules (and dead letters) here. */
  readonly dir?: string;
}

export async function startScheduleApi(options: ScheduleApiOptions) {
  const groups = new Set(['default', ...options.groups]);
  const file = options.dir ? join(options.dir, 'schedules.json') : undefined;
  const schedules = new Map<string, Schedule>();
  if (file && existsSync(file)) for (const s of (JSON.parse(readFileSync(file, 'utf8')) as { schedules: Schedule[] }).schedules) schedules.set(keyOf(s.GroupName, s.Name), s);
  if (options.dir) mkdirSync(options.dir, { recursive: true });
  const persist = () => {
    if (file) writeFileAtomic(file, JSON.stringify({ schedules: [...schedules.values()] }));
  };
  const firing = new Map<string, Promise<void>>();
  let finished = 0;
  let stopping = false;
  const arnOf = (group: string, name: string) => `arn:aws:scheduler:${LOCAL_AWS.region}:${LOCAL_ACCOUNT}:schedule/${group}/${name}`;

  function write(method: string, name: string, body: Record<string, unknown>): { ScheduleArn: string } {
    const group = typeof body.GroupName === 'string' ? body.GroupName : 'default';
    if (!groups.has(group)) throw new SchedulerApiError('ResourceNotFoundException', 404, `Schedule group ${group} does not exist.`);
    const key = keyOf(group, name);
    const existing = schedules.get(key);
    if (method === 'POST' && existing) throw new SchedulerApiError('ConflictException', 409, `Schedule ${name} already exists.`);
    if (method === 'PUT' && !existing) throw new SchedulerApiError('ResourceNotFoundException', 404, `Schedule ${name} does not exist.`);
    const now = Math.floor(options.clock.now().getTime() / 1000);
    schedules.set(key, {
      ...validSchedule(body, options.functionTarget),
      Name: name,
      GroupName: group,
      CreationDate: existing?.CreationDate ?? now,
      LastModificationDate: now,
      revision: (existing?.revision ?? 0) + 1,
    });
    persist();
    return { ScheduleArn: arnOf(group, name) };
  }

  function answer(method: string, url: URL, body: Record<string, unknown>): unknown {
    const match = /^\/schedules\/([^/]+)$/.exec(url.pathname);
    if (!match) throw invalid(`${method} ${url.pathname} is not emulated (CreateSchedule, UpdateSchedule, DeleteSchedule and GetSchedule are).`);
    const name = decodeURIComponent(match[1]!);
    if (!NAME.test(name)) throw invalid('Name must be 1-64 characters of [0-9a-zA-Z-_.].');
    if (method === 'POST' || method === 'PUT') return write(method, name, body);
    const group = url.searchParams.get('groupName') ?? 'default';
    const schedule = schedules.get(keyOf(group, name));
    if (!schedule) throw new SchedulerApiError('ResourceNotFoundException', 404, `Schedule ${name} does not exist.`);
    if (method === 'DELETE') {
      schedules.delete(keyOf(group, name));
      persist();
      return {};
    }
    if (method === 'GET') {
      const { dueAt: _due, revision: _revision, completed: _completed, ...shown } = schedule;
      return { ...shown, Arn: arnOf(group, name) };
    }
    throw invalid(`${method} is not emulated.`);
  }

  /** Invokes the target until it takes the input, then deletes (or completes) the schedule. */
  async function fire(key: string, schedule: Schedule): Promise<void> {
    const invoke = options.functionTarget(schedule.Target.Arn);
    const payload = inputOf(schedule.Target.Input);
    const attempts = 1 + (schedule.Target.RetryPolicy?.MaximumRetryAttempts ?? 185);
    const maxAgeMs = (schedule.Target.RetryPolicy?.MaximumEventAgeInSeconds ?? 86_400) * 1000;
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        if (!invoke) throw new Error(`${schedule.Target.Arn} names no local function`);
        await invoke(payload);
        break;
      } catch (error) {
        if (stopping) return; // persisted: the next start fires it again
        if (attempt >= attempts || Date.now() - started >= maxAgeMs) {
          console.error(`[scheduler] ${key}: gave up after ${attempt} attempts, sent to the dead-letter queue: ${String(error)}`);
          if (options.dir) {
            mkdirSync(join(options.dir, 'dead-letter'), { recursive: true });
            writeFileAtomic(join(options.dir, 'dead-letter', `${encodeURIComponent(key)}.${Date.now()}.json`), JSON.stringify({ schedule, error: String(error) }));
          }
          break;
        }
        await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** attempt, MAX_BACKOFF_MS)));
        if (stopping) return;
      }
    }
    const current = schedules.get(key);
    if (current?.revision !== schedule.revision) return; // replaced while it fired: the new one stands
    if (current.ActionAfterCompletion === 'DELETE') schedules.delete(key);
    else schedules.set(key, { ...current, completed: true });
    persist();
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let raw = '';
    req.on('data', (chunk) => (raw += chunk));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      try {
        let body: unknown;
        try {
          body = raw ? JSON.parse(raw) : {};
        } catch {
          throw invalid('The body is not JSON.');
        }
        if (body === null || typeof body !== 'object' || Array.isArray(body)) throw invalid('The body is not a JSON object.');
        const url = new URL(req.url ?? '/', 'http://localhost');
        res.end(JSON.stringify(answer(req.method ?? 'GET', url, body as Record<string, unknown>)));
      } catch (error) {
        const known = error instanceof SchedulerApiError ? error : new SchedulerApiError('InternalServerException', 500, 'Internal error');
        if (!(error instanceof SchedulerApiError)) console.error(`[scheduler] ${req.method} ${req.url} failed: ${String(error)}`);
        res.statusCode = known.status;
        res.setHeader('x-amzn-ErrorType', known.type);
        res.end(JSON.stringify({ Message: known.message }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();

  return {
    endpoint: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    /** Starts every enabled schedule whose time has come (scheduler.ts calls it on each tick and advance). */
    fireDue(now: Date): string[] {
      const started: string[] = [];
      for (const [key, schedule] of schedules) {
        if (schedule.State !== 'ENABLED' || schedule.completed || schedule.dueAt > now.getTime() || firing.has(key)) continue;
        const run = fire(key, schedule).finally(() => {
          firing.delete(key);
          finished++;
        });
        firing.set(key, run);
        started.push(key);
      }
      return started;
    },
    /** Schedules that finished firing so far (lets callers tell a quiet scheduler from a busy one). */
    fired: () => finished,
    /** Resolves when every firing started so far has finished. */
    async idle() {
      while (firing.size > 0) await Promise.allSettled([...firing.values()]);
    },
    async stop() {
      stopping = true;
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await Promise.race([Promise.allSettled([...firing.values()]), new Promise((r) => setTimeout(r, 5000).unref())]);
    },
  };
}

export type ScheduleApi = Awaited<ReturnType<typeof startScheduleApi>>;

const keyOf = (group: string, name: string) => `${group}/${name}`;

export function inputOf(input: string | undefined): unknown {
  if (input === undefined) return {};
  try {
    return JSON.parse(input);
  } catch {
    return input;
  }
}

type ValidSchedule = Omit<Schedule, 'Name' | 'GroupName' | 'CreationDate' | 'LastModificationDate' | 'revision'>;

function validSchedule(body: Record<string, unknown>, functionTarget: FunctionTarget): ValidSchedule {
  const expression = body.ScheduleExpression;
  if (typeof expression !== 'string') throw invalid('ScheduleExpression is required.');
  const at = AT.exec(expression);
  if (!at) {
    throw invalid(/^(rate|cron)\(/.test(expression) ? 'Only one-off at() schedules are emulated; recurring ones are in infra/topology.ts.' : `Invalid Schedule Expression ${expression}.`);
  }
  const [year, month, day, hour, minute, second] = at.slice(1).map(Number) as [number, number, number, number, number, number];
  const dueAt = Date.UTC(year, month - 1, day, hour, minute, second);
  if (new Date(dueAt).getUTCDate() !== day || new Date(dueAt).getUTCMonth() !== month - 1 || hour > 23 || minute > 59 || second > 59) throw invalid(`Invalid Schedule Expression ${expression}.`);
  const timezone = body.ScheduleExpressionTimezone ?? 'UTC';
  if (timezone !== 'UTC') throw invalid('Only ScheduleExpressionTimezone UTC is emulated.');
  const window = body.FlexibleTimeWindow as { Mode?: unknown; MaximumWindowInMinutes?: unknown } | undefined;
  if (window?.Mode !== 'OFF' && !(window?.Mode === 'FLEXIBLE' && Number.isInteger(window.MaximumWindowInMinutes) && (window.MaximumWindowInMinutes as number) >= 1 && (window.MaximumWindowInMinutes as number) <= 1440)) {
    throw invalid('FlexibleTimeWindow is required: {"Mode": "OFF"} or {"Mode": "FLEXIBLE", "MaximumWindowInMinutes": 1-1440}.');
  }
  const actionAfterCompletion = body.ActionAfterCompletion ?? 'NONE';
  if (actionAfterCompletion !== 'NONE' && actionAfterCompletion !== 'DELETE') throw invalid('ActionAfterCompletion must be NONE or DELETE.');
  const state = body.State ?? 'ENABLED';
  if (state !== 'ENABLED' && state !== 'DISABLED') throw invalid('State must be ENABLED or DISABLED.');
  if (body.Description !== undefined && (typeof body.Description !== 'string' || body.Description.length > 512)) throw invalid('Description must be at most 512 characters.');
  return {
    ScheduleExpression: expression,
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: window as Schedule['FlexibleTimeWindow'],
    Target: validTarget(body.Target, functionTarget),
    ActionAfterCompletion: actionAfterCompletion,
    State: state,
    ...(typeof body.Description === 'string' ? { Description: body.Description } : {}),
    dueAt,
  };
}

function validTarget(raw: unknown, functionTarget: FunctionTarget): Target {
  if (raw === null || typeof raw !== 'object') throw invalid('Target is required.');
  const target = raw as Record<string, unknown>;
  const unknown = Object.keys(target).filter((key) => !TARGET_KEYS.has(key));
  if (unknown.length > 0) throw invalid(`Target fields ${unknown.join(', ')} are not emulated (the local scheduler takes ${[...TARGET_KEYS].join(', ')}).`);
  if (typeof target.Arn !== 'string' || !functionTarget(target.Arn)) throw invalid(`Target Arn ${String(target.Arn)} is not a local function (arn:aws:lambda:<region>:${LOCAL_ACCOUNT}:function:<name>).`);
  if (typeof target.RoleArn !== 'string' || target.RoleArn.length === 0) throw invalid('Target RoleArn is required.');
  if (target.Input !== undefined && (typeof target.Input !== 'string' || target.Input.length > 8192)) throw invalid('Target Input must be a string of at most 8192 characters.');
  const retry = target.RetryPolicy as { MaximumRetryAttempts?: unknown; MaximumEventAgeInSeconds?: unknown } | undefined;
  const within = (v: unknown, min: number, max: number) => v === undefined || (Number.isInteger(v) && (v as number) >= min && (v as number) <= max);
  if (retry !== undefined && !(within(retry.MaximumRetryAttempts, 0, 185) && within(retry.MaximumEventAgeInSeconds, 60, 86_400))) {
    throw invalid('RetryPolicy: MaximumRetryAttempts 0-185, MaximumEventAgeInSeconds 60-86400.');
  }
  return target as unknown as Target;
}
