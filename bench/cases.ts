// Helpers shared by the cases sections (latency, request counts, escalation path): the cases
// handler wired like cases.lambda.ts against the bench table, one invoke that routes every API
// route to the function the topology names, and valid requests to open and work cases.
import { performance } from 'node:perf_hooks';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { EventBridgeEvent } from 'aws-lambda';
import type { Case } from '#domain/cases/case.schema.ts';
import type { Clock } from '#domain/shared/ports.ts';
import { type DomainEvent, envelope } from '#events/define-event.ts';
import { casesHandler } from '#functions/cases/cases.app.ts';
import { type CaseInfra, caseRepository, publishedArticlesFor } from '#functions/cases/cases.composition.ts';
import { systemClock, uuidIds } from '#functions/shared/system.ts';
import { type FunctionName, ROUTES, routeKey } from '#infra/topology.ts';
import { apiEvent, expectStatus, type Invoke, lambdaContext, type Request } from './api-event.ts';
import type { BenchContext } from './context.ts';

export type { Case };

/** The infra object the cases composition roots take, on the bench table and the given clock. */
export async function caseInfra(context: BenchContext, clock: Clock = systemClock): Promise<CaseInfra> {
  const { client, tableName } = await context.table();
  return { client, tableName, clock, ids: uuidIds };
}

/** The cases handler wired like cases.lambda.ts (same factories; only the client's endpoint differs). */
export function casesInvoke(infra: CaseInfra): Invoke {
  const handler = casesHandler({ cases: caseRepository(infra), clock: infra.clock, ids: infra.ids, articles: publishedArticlesFor(infra) });
  return (event) => handler(event, lambdaContext('cases'));
}

const FUNCTION_OF = new Map<string, FunctionName>(ROUTES.map((r) => [routeKey(r), r.function]));

/**
 * One invoke for the customers and cases APIs: each route goes to the function the topology
 * names, as API Gateway would route it.
 */
export function routedInvoke(customers: Invoke, cases: Invoke): Invoke {
  return (event) => {
    const fn = FUNCTION_OF.get(event.routeKey);
    if (fn === 'customers') return customers(event);
    if (fn === 'cases') return cases(event);
    throw new Error(`bench: route ${event.routeKey} belongs to ${fn ?? 'no function'}, not customers or cases`);
  };
}

const shared = new WeakMap<BenchContext, Promise<Invoke>>();

/** Customers and cases routes on the system clock; one cases handler per bench run (a warm Lambda). */
export function caseApi(context: BenchContext): Promise<Invoke> {
  let api = shared.get(context);
  if (!api) {
    api = Promise.all([context.customers(), caseInfra(context)]).then(([customers, infra]) => routedInvoke(customers, casesInvoke(infra)));
    shared.set(context, api);
  }
  return api;
}

let opened = 0;

/** A valid POST /cases for the customer (email channel, `general` queue unless told). */
export function openCaseRequest(customerId: string, queue = 'general'): Request {
  const n = ++opened;
  return {
    route: 'POST /cases',
    body: { customerId, subject: `Bench case ${n}: order arrived damaged`, channel: 'email', queue },
  };
}

export async function openCase(invoke: Invoke, customerId: string, queue = 'general'): Promise<Case> {
  return expectStatus(await invoke(apiEvent(openCaseRequest(customerId, queue))), 201, 'set-up POST /cases') as Case;
}

export function patchRequest(id: string, status: Case['status']): Request {
  return { route: 'PATCH /cases/{id}', pathParameters: { id }, body: { status } };
}

export function commentRequest(id: string, n: number): Request {
  return {
    route: 'POST /cases/{id}/comments',
    pathParameters: { id },
    body: { body: `Bench reply ${n}: sorry about that, a replacement is on its way.`, visibility: 'public' },
  };
}

/** PUT /queues/{name} as an admin (configuration is admin-only). */
export async function putQueue(invoke: Invoke, name: string, body: { members?: string[]; managers?: string[]; escalateTo?: string | null }): Promise<void> {
  expectStatus(await invoke(apiEvent({ route: 'PUT /queues/{name}', pathParameters: { name }, body, groups: '[admin]' })), 200, `set-up PUT /queues/${name}`);
}

let eventSequence = 0;

/** An EventBridge event as a rule delivers it, with the envelope the outbox would have written. */
export function busEvent(event: DomainEvent, time: Date): EventBridgeEvent<string, unknown> {
  const eventId = `bench-event-${process.pid}-${++eventSequence}`;
  const detail = envelope(event, { eventId, occurredAt: time.toISOString(), correlationId: `bench-${eventId}`, causationId: null, idempotencyKey: eventId });
  return {
    version: '0',
    id: `bench-delivery-${eventSequence}`,
    'detail-type': event.definition.detailType,
    source: event.definition.source,
    account: '000000000000',
    time: time.toISOString(),
    region: 'us-east-1',
    resources: [],
    detail,
  };
}

/** Identical request sequences grouped, most frequent first: `19 x GetItem + TransactWriteItems`. */
export function sequences(calls: readonly (readonly string[])[]): string {
  const counts = new Map<string, number>();
  for (const sent of calls) {
    const key = sent.join(' + ') || 'none';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([key, n]) => `${n} x ${key}`)
    .join('; ');
}

/** Requests per operation name, e.g. `GetItem 41, TransactWriteItems 20, Query 1`. */
export function tally(sent: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const name of sent) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].map(([name, n]) => `${name} ${n}`).join(', ') || 'none';
}

export interface ProbedRequest {
  /** DynamoDB operation, e.g. `TransactWriteItems`. */
  readonly name: string;
  /** The SDK call's time, marshalling and retries included. */
  readonly ms: number;
  /** Items of a transaction or batch request. */
  readonly items?: number;
}

export interface RequestProbe {
  /** Requests completed since the last call, in order; clears the probe. */
  take(): ProbedRequest[];
}

const probes = new WeakMap<DynamoDBDocumentClient, RequestProbe>();

/**
 * Times each SDK call and counts a transaction's items (installed once per client, when a cases
 * section first asks; the sections before them run without it).
 */
export function requestProbe(client: DynamoDBDocumentClient): RequestProbe {
  let probe = probes.get(client);
  if (probe) return probe;
  let done: ProbedRequest[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { TransactItems?: unknown[]; RequestItems?: Record<string, unknown[] | { Keys?: unknown[] }> };
      const items =
        input.TransactItems?.length ??
        (input.RequestItems ? Object.values(input.RequestItems).reduce<number>((n, v) => n + (Array.isArray(v) ? v.length : (v.Keys?.length ?? 0)), 0) : undefined);
      const t0 = performance.now();
      try {
        return await next(args);
      } finally {
        done.push({ name: String(context.commandName).replace(/Command$/, ''), ms: performance.now() - t0, ...(items !== undefined ? { items } : {}) });
      }
    },
    { step: 'initialize', name: 'benchCaseProbe', priority: 'high' },
  );
  probe = {
    take() {
      const taken = done;
      done = [];
      return taken;
    },
  };
  probes.set(client, probe);
  return probe;
}

/** `GetItem 1.2 + TransactWriteItems[9] 40.1 ms`: the commonest sequence of the runs, mean time per request. */
export function breakdown(runs: readonly (readonly ProbedRequest[])[]): string {
  if (runs.length === 0) return 'no runs';
  const shape = (run: readonly ProbedRequest[]) => run.map((r) => `${r.name}${r.items !== undefined ? `[${r.items}]` : ''}`).join(' + ');
  const byShape = new Map<string, (readonly ProbedRequest[])[]>();
  for (const run of runs) byShape.set(shape(run), [...(byShape.get(shape(run)) ?? []), run]);
  const [, common] = [...byShape].sort((a, b) => b[1].length - a[1].length)[0]!;
  const parts = common[0]!.map((r, i) => {
    const mean = common.reduce((sum, run) => sum + run[i]!.ms, 0) / common.length;
    return `${r.name}${r.items !== undefined ? `[${r.items}]` : ''} ${mean.toFixed(1)}`;
  });
  const others = runs.length - common.length;
  return `${parts.join(' + ')} ms${others ? ` (${common.length}/${runs.length} runs; others differ)` : ''}`;
}
