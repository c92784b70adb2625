import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { EventBridgeEvent } from 'aws-lambda';
import { writeFileAtomic } from './atomic-file.ts';

// EventBridge stores an event durably before PutEvents answers, then delivers it at least once.
// The local bus does the same when data persists: each (rule, event) delivery is a file from the
// moment PutEvents accepts the event until its target has it (or it goes to the dead-letter
// folder), so a crash in between cannot lose it: the next start delivers it again. Consumers are
// idempotent by event id, as they must be on AWS.

export interface PendingDelivery {
  readonly key: string;
  readonly rule: string;
  readonly event: EventBridgeEvent<string, unknown>;
  /** A run-time rule's delivery: the function and what it gets, fixed when the event matched. */
  readonly target?: { readonly arn: string; readonly payload: unknown };
}

export function openDeliveryJournal(dir: string) {
  const pendingDir = join(dir, 'pending');
  const deadLetterDir = join(dir, 'dead-letter');
  mkdirSync(pendingDir, { recursive: true });
  // A crash between writing a temporary file and renaming it leaves the temporary file: the
  // delivery was never acknowledged, so the publisher sends the event again; the file can go.
  for (const name of readdirSync(pendingDir)) if (name.endsWith('.tmp')) rmSync(join(pendingDir, name), { force: true });
  const fileOf = (key: string) => join(pendingDir, `${key}.json`);

  return {
    /** Persists one delivery before PutEvents acknowledges the event. */
    record(rule: string, event: EventBridgeEvent<string, unknown>, target?: PendingDelivery['target']): string {
      const key = `${event.id}.${encodeURIComponent(rule)}`;
      writeFileAtomic(fileOf(key), JSON.stringify(target ? { rule, event, target } : { rule, event }));
      return key;
    },
    /** The target has the event. */
    settle(key: string): void {
      rmSync(fileOf(key), { force: true });
    },
    /** Retries are exhausted: kept for a person to look at, never delivered again. */
    deadLetter(key: string): void {
      mkdirSync(deadLetterDir, { recursive: true });
      renameSync(fileOf(key), join(deadLetterDir, `${key}.json`));
    },
    /** Deliveries a previous run accepted and did not finish, oldest first. */
    pending(): PendingDelivery[] {
      return readdirSync(pendingDir)
        .filter((name) => name.endsWith('.json'))
        .map((name) => {
          const { rule, event, target } = JSON.parse(readFileSync(join(pendingDir, name), 'utf8')) as Omit<PendingDelivery, 'key'>;
          return { key: name.slice(0, -'.json'.length), rule, event, ...(target ? { target } : {}) };
        })
        .sort((a, b) => a.event.time.localeCompare(b.event.time));
    },
  };
}

export type DeliveryJournal = ReturnType<typeof openDeliveryJournal>;
