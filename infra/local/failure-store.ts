import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { type FailureQueueName, failureQueue } from '../failure-queues.ts';
import { type FunctionName, RULES } from '../topology.ts';
import { writeFileAtomic } from './atomic-file.ts';
import { functionNameOfArn } from './local-arns.ts';
import { inputOf } from './schedule-api.ts';

// The local runtime's failure queues, read from where its parts park what failed for good (only
// when data persists, CRM_DATA_DIR): the bus's dead-letter folder (rule deliveries past their
// maximum event age: the consumer's queue, as Lambda's DLQ on AWS), the one-off scheduler's
// dead-letter folder (the target's queue) and the stream consumers' give-ups (`<function>-stream`).
// A redrive hands each message once to its consumer: taken, the file goes; failed again, it stays.

export interface LocalFailure {
  readonly queue: FailureQueueName;
  readonly file: string;
  readonly function: FunctionName;
  readonly payload: unknown;
  /** A stream batch: the consumer's batchItemFailures say whether it took the records. */
  readonly stream: boolean;
  /** When it failed (for the order of a redrive). */
  readonly at: string;
}

export interface RedriveOutcome {
  readonly queue: string;
  /** Messages their consumer took: removed from the queue. */
  readonly redriven: number;
  /** Messages whose consumer failed again: left in the queue, as they were. */
  readonly failedAgain: number;
  readonly errors: readonly string[];
}

const files = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((n) => n.endsWith('.json')).map((n) => join(dir, n)) : []);
const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;

export function openFailureStore(dataDir: string, invoke: (name: FunctionName, payload: unknown) => Promise<unknown>) {
  const busDir = join(dataDir, 'bus', 'dead-letter');
  const schedulerDir = join(dataDir, 'scheduler', 'dead-letter');
  const streamDir = join(dataDir, 'stream-failures');

  function busFailure(file: string): LocalFailure | undefined {
    const { rule, event, target } = read(file);
    const fromRule = RULES.find((r) => r.name === rule)?.target;
    const fn = target ? functionNameOfArn(String(target.arn)) : fromRule?.kind === 'function' ? fromRule.function : undefined;
    if (!fn) return undefined;
    return { queue: fn as FunctionName, file, function: fn as FunctionName, payload: target ? target.payload : event, stream: false, at: String(event.time) };
  }
  function scheduleFailure(file: string): LocalFailure | undefined {
    const { schedule } = read(file);
    const fn = functionNameOfArn(String(schedule?.Target?.Arn));
    if (!fn) return undefined;
    return { queue: fn as FunctionName, file, function: fn as FunctionName, payload: inputOf(schedule.Target.Input), stream: false, at: String(schedule.dueAt ?? '') };
  }
  function streamFailure(file: string): LocalFailure {
    const { consumer, records, at } = read(file);
    return { queue: `${consumer}-stream` as FailureQueueName, file, function: consumer, payload: { Records: records }, stream: true, at: String(at) };
  }

  function list(): LocalFailure[] {
    return [...files(busDir).map(busFailure), ...files(schedulerDir).map(scheduleFailure), ...files(streamDir).map(streamFailure)]
      .filter((f): f is LocalFailure => f !== undefined)
      .sort((a, b) => a.at.localeCompare(b.at));
  }

  return {
    /** Messages waiting, per failure queue (queues with none are left out). */
    counts(): Record<string, number> {
      const counts: Record<string, number> = {};
      for (const f of list()) counts[f.queue] = (counts[f.queue] ?? 0) + 1;
      return counts;
    },
    /** The stream reader's on-failure destination. */
    recordStreamFailure(consumer: string, records: readonly DynamoDBRecord[], at: Date): void {
      mkdirSync(streamDir, { recursive: true });
      const first = records[0]?.dynamodb?.SequenceNumber ?? String(at.getTime());
      writeFileAtomic(join(streamDir, `${consumer}.${first}.json`), JSON.stringify({ consumer, records, at: at.toISOString() }));
    },
    /** Hands each message of `queue` once to its consumer, oldest first; see RedriveOutcome. */
    async redrive(queue: string): Promise<RedriveOutcome> {
      if (!failureQueue(queue)) throw new Error(`no failure queue "${queue}"`);
      let redriven = 0;
      const errors: string[] = [];
      for (const failure of list().filter((f) => f.queue === queue)) {
        try {
          const answer = await invoke(failure.function, failure.payload);
          if (failure.stream && ((answer as DynamoDBBatchResponse | undefined)?.batchItemFailures?.length ?? 0) > 0) throw new Error('the consumer reported records it could not take');
          rmSync(failure.file, { force: true });
          redriven++;
        } catch (error) {
          errors.push(String(error));
        }
      }
      return { queue, redriven, failedAgain: errors.length, errors };
    },
  };
}

export type FailureStore = ReturnType<typeof openFailureStore>;
