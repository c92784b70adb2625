import { ASYNC_INVOKE, type FunctionName, STREAM_CONSUMERS } from './topology.ts';

// Where work that failed for good waits (14 days on AWS): the one list of failure queues. CDK
// alarms on each (opt-in monitoring) and names them in the stack outputs; `npm run redrive` takes
// one by its name here and puts its messages back through their consumer.

export type FailureQueue =
  /** Asynchronous invocations of `function` that failed every retry (its DeadLetterConfig): a message is the event it got. */
  | { readonly name: FunctionName; readonly kind: 'async'; readonly function: FunctionName }
  /** Table-stream batches `function` gave up on: a message names the shard and sequence range (the records stay 24 h in the stream). */
  | { readonly name: `${FunctionName}-stream`; readonly kind: 'stream'; readonly function: FunctionName }
  /** Events EventBridge rules and schedules could not hand to their target function: a message is the event, its attributes name the target. */
  | { readonly name: 'deliveries'; readonly kind: 'delivery' }
  /** SES events the default bus could not forward to the crm bus: a message is the event. */
  | { readonly name: 'ses-forwarding'; readonly kind: 'forwarding' };

export type FailureQueueName = FailureQueue['name'];

export const FAILURE_QUEUES: readonly FailureQueue[] = [
  ...(Object.keys(ASYNC_INVOKE) as FunctionName[]).map((name) => ({ name, kind: 'async' as const, function: name })),
  ...STREAM_CONSUMERS.map((c) => ({ name: `${c.function}-stream` as const, kind: 'stream' as const, function: c.function })),
  { name: 'deliveries', kind: 'delivery' },
  { name: 'ses-forwarding', kind: 'forwarding' },
];

export const failureQueue = (name: string): FailureQueue | undefined => FAILURE_QUEUES.find((q) => q.name === name);

/** The stack output naming a failure queue's URL: caseErasure -> FailureQueueCaseErasure, outboxPublisher-stream -> FailureQueueOutboxPublisherStream. */
export const failureQueueOutputKey = (name: string) => `FailureQueue${name.split('-').map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('')}`;
