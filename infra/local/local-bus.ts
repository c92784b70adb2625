import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { EventBridgeEvent } from 'aws-lambda';
import { BusApiError, openRuleStore } from './bus-rules.ts';
import { type DeliveryJournal, openDeliveryJournal } from './delivery-journal.ts';
import { compilePattern, type Pattern } from './event-pattern.ts';
import type { FunctionTarget } from './local-arns.ts';

// The local `crm` bus: accepts PutEvents over the real EventBridge JSON protocol (so the same
// publisher adapter and SDK client work against it), evaluates rule patterns with EventBridge
// semantics and delivers to the rule targets asynchronously, as EventBridge does. With a journal
// directory, an accepted event's deliveries survive a crash (see delivery-journal.ts). Rules can
// also be created at run time through EventBridge's rule API (bus-rules.ts), as campaign triggers
// are; their targets are local functions named by ARN.

export interface BusEvent {
  readonly id: string;
  readonly source: string;
  readonly detailType: string;
  readonly detail: unknown;
  readonly time: string;
}

export interface LocalRule {
  readonly name: string;
  readonly pattern: Pattern;
  readonly deliver: (event: EventBridgeEvent<string, unknown>) => Promise<unknown>;
}

const RECENT_LIMIT = 500;

/** As long as Lambda keeps an asynchronous event at most (its maximum event age): 6 hours. */
const MAX_EVENT_AGE_MS = 6 * 3600 * 1000;
const MAX_BACKOFF_MS = 5_000;

export async function startLocalBus(options: {
  busName: string;
  rules: readonly LocalRule[];
  maxEventAgeMs?: number;
  journalDir?: string;
  /** The functions run-time rules may target (none without it). */
  functionTarget?: FunctionTarget;
  /** Keeps run-time rules here (atomically) so they survive a restart. */
  rulesFile?: string;
}) {
  const recent: BusEvent[] = [];
  const inFlight = new Set<Promise<void>>();
  const maxEventAgeMs = options.maxEventAgeMs ?? MAX_EVENT_AGE_MS;
  const journal: DeliveryJournal | undefined = options.journalDir ? openDeliveryJournal(options.journalDir) : undefined;
  let delivered = 0;
  let stopping = false;
  // Compiled now, so that a pattern EventBridge would refuse fails the start, naming the rule.
  const functionTarget: FunctionTarget = options.functionTarget ?? (() => undefined);
  const runtimeRules = openRuleStore({
    busName: options.busName,
    staticRules: new Map(options.rules.map((rule) => [rule.name, rule.pattern])),
    isTarget: (arn) => functionTarget(arn) !== undefined,
    ...(options.rulesFile ? { file: options.rulesFile } : {}),
  });
  const patterns = new Map(
    options.rules.map((rule) => {
      try {
        return [rule, compilePattern(rule.pattern)] as const;
      } catch (error) {
        throw new Error(`Rule ${rule.name}: ${(error as Error).message}`);
      }
    }),
  );

  function put(entry: { Source?: string; DetailType?: string; Detail?: string; Time?: number | string; EventBusName?: string }) {
    if (!entry.Source || !entry.DetailType || entry.Detail === undefined) return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Source, DetailType and Detail are required' };
    if (entry.EventBusName && entry.EventBusName !== options.busName) return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `No bus ${entry.EventBusName}` };
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail);
    } catch {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is not valid JSON' };
    }
    const time = entry.Time === undefined ? new Date() : new Date(typeof entry.Time === 'number' ? entry.Time * 1000 : entry.Time);
    const event: EventBridgeEvent<string, unknown> = {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType,
      source: entry.Source,
      account: '000000000000',
      time: time.toISOString(),
      region: 'us-east-1',
      resources: [],
      detail,
    };
    recent.unshift({ id: event.id, source: event.source, detailType: event['detail-type'], detail, time: event.time });
    recent.length = Math.min(recent.length, RECENT_LIMIT);
    for (const rule of options.rules) {
      if (!patterns.get(rule)!.matches(event)) continue;
      // Journaled before PutEvents answers: the publisher (and the stream checkpoint behind it)
      // moves on only once the delivery cannot be lost.
      start(rule, event, journal?.record(rule.name, event));
    }
    for (const delivery of runtimeRules.deliveries(event)) {
      const target = { arn: delivery.arn, payload: delivery.payload };
      start(toFunction(delivery.name, target), event, journal?.record(delivery.name, event, target));
    }
    return { EventId: event.id };
  }

  /** A delivery of a run-time rule: the target function gets the payload computed when the event matched. */
  function toFunction(name: string, target: { arn: string; payload: unknown }): LocalRule {
    return {
      name,
      pattern: {},
      deliver: async () => {
        const invoke = functionTarget(target.arn);
        if (!invoke) throw new Error(`${target.arn} names no local function`);
        return invoke(target.payload);
      },
    };
  }

  function start(rule: LocalRule, event: EventBridgeEvent<string, unknown>, key: string | undefined) {
    const delivery = deliverWithRetry(rule, event, key).finally(() => {
      delivered++;
      inFlight.delete(delivery);
    });
    inFlight.add(delivery);
  }

  /**
   * A failing target is retried with backoff (capped at 5 s) until it takes the event, as Lambda
   * retries an asynchronous event and a DLQ then keeps it: a consumer whose dependency is down
   * (SES) gets the event once it is back, instead of losing it after a few quick tries.
   */
  async function deliverWithRetry(rule: LocalRule, event: EventBridgeEvent<string, unknown>, key: string | undefined) {
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        await rule.deliver(event);
        if (key) journal!.settle(key);
        return;
      } catch (error) {
        // Stopping: what is journaled waits for the next start rather than the dead-letter folder;
        // without a journal the runtime is going away and there is nothing left to deliver to.
        if (stopping) return;
        if (Date.now() - started >= maxEventAgeMs) {
          console.error(`[bus] rule ${rule.name}: event ${event.id} sent to the dead-letter queue after ${attempt} attempts: ${String(error)}`);
          if (key) journal!.deadLetter(key);
          return;
        }
        await new Promise((r) => setTimeout(r, Math.min(100 * 2 ** attempt, MAX_BACKOFF_MS)));
        if (stopping) return;
      }
    }
  }

  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '');
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      const action = target.startsWith('AWSEvents.') ? target.slice('AWSEvents.'.length) : '';
      if (runtimeRules.handles(action)) {
        try {
          const parsed = JSON.parse(body || '{}') as unknown;
          if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new BusApiError('SerializationException', 'The body is not a JSON object.');
          res.end(JSON.stringify(runtimeRules.call(action, parsed as Record<string, unknown>)));
        } catch (error) {
          const known = error instanceof BusApiError ? error : error instanceof SyntaxError ? new BusApiError('SerializationException', 'Malformed request') : undefined;
          res.statusCode = known ? 400 : 500;
          res.end(JSON.stringify({ __type: known?.type ?? 'InternalException', message: known?.message ?? 'Internal error' }));
          if (!known) console.error(`[bus] ${action} failed: ${String(error)}`);
        }
        return;
      }
      if (target !== 'AWSEvents.PutEvents') {
        res.statusCode = 400;
        res.end(JSON.stringify({ __type: 'UnknownOperationException', message: `${target} is not emulated` }));
        return;
      }
      try {
        const { Entries = [] } = JSON.parse(body) as { Entries?: Parameters<typeof put>[0][] };
        const results = Entries.map(put);
        res.end(JSON.stringify({ FailedEntryCount: results.filter((r) => 'ErrorCode' in r).length, Entries: results }));
      } catch {
        res.statusCode = 400;
        res.end(JSON.stringify({ __type: 'SerializationException', message: 'Malformed request' }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const endpoint = `http://127.0.0.1:${port}`;

  return {
    endpoint,
    /**
     * Delivers again what a previous run accepted and did not finish (call once the targets can
     * take events). Returns how many deliveries it started.
     */
    resumePending(): number {
      if (!journal) return 0;
      const pending = journal.pending();
      for (const { key, rule: name, event, target } of pending) {
        const rule = target ? toFunction(name, target) : options.rules.find((r) => r.name === name);
        if (rule) start(rule, event, key);
        else {
          console.error(`[bus] rule ${name} no longer exists: event ${event.id} sent to the dead-letter queue`);
          journal.deadLetter(key);
        }
      }
      return pending.length;
    },
    /**
     * PutEvents unavailable (as in an EventBridge outage): the endpoint refuses connections until
     * `restart`; deliveries already accepted go on. What the tests use to show the outbox survives it.
     */
    outage: {
      stop: () =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        }),
      restart: () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve)),
    },
    recent: (limit: number) => recent.slice(0, limit),
    /** Deliveries finished so far (lets callers tell a quiet bus from a busy one). */
    delivered: () => delivered + recent.length,
    /** Resolves when every delivery started so far has finished (including ones they caused). */
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    async stop() {
      stopping = true;
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
      // Let deliveries under way finish while the clients they use still work (bounded).
      await Promise.race([Promise.allSettled([...inFlight]), new Promise((r) => setTimeout(r, 5000).unref())]);
    },
  };
}

export type LocalBus = Awaited<ReturnType<typeof startLocalBus>>;
