import { apiEvent, expectStatus, type Invoke } from './api-event.ts';
import { type Case, caseApi, commentRequest, openCase, openCaseRequest, type ProbedRequest, patchRequest, putQueue, requestProbe } from './cases.ts';
import type { Section } from './context.ts';
import { heading, table, verdict } from './report.ts';
import { describeRequests, type Operation, requestsPerOperation } from './requests.ts';

const ASSIGN_QUEUE = 'bench-assign';
const ASSIGN_MEMBERS = ['bench-agent-1', 'bench-agent-2', 'bench-agent-3'];
/** Routes whose answer the issue says comes from index queries ("not a scan"). */
const LISTINGS = new Set(['GET /cases?queue=&status=open']);

let assignQueue: Promise<void> | undefined;

const caseOf = async (customerId: string, invoke: Invoke, queue?: string) => (await openCase(invoke, customerId, queue)).id;

async function pendingCase(customerId: string, invoke: Invoke): Promise<string> {
  const id = await caseOf(customerId, invoke);
  expectStatus(await invoke(apiEvent(patchRequest(id, 'pending'))), 200, 'set-up PATCH /cases/{id}');
  return id;
}

// One request per operation on a case opened for it (set-up requests are not counted).
const OPERATIONS: readonly Operation[] = [
  { label: 'POST /cases', status: 201, request: (id) => openCaseRequest(id) },
  {
    label: 'POST /cases (Idempotency-Key)',
    status: 201,
    request: (id) => ({ ...openCaseRequest(id), headers: { 'idempotency-key': `bench-${crypto.randomUUID()}` } }),
  },
  {
    label: 'GET /cases/{id}',
    status: 200,
    request: async (customerId, _, invoke) => ({ route: 'GET /cases/{id}', pathParameters: { id: await caseOf(customerId, invoke) } }),
  },
  {
    label: 'GET /cases?queue=&status=open',
    status: 200,
    // Issue 4: "The agent's work view, ?queue=&status=, is a single query too."
    target: 1,
    request: async (customerId, _, invoke) => {
      await caseOf(customerId, invoke);
      return { route: 'GET /cases', query: { queue: 'general', status: 'open' } };
    },
    check: (body) => ((body as { items: Case[] }).items.some((c) => c.queue !== 'general' || c.status !== 'open') ? 'a listed case is not open in general' : undefined),
  },
  {
    label: 'PATCH /cases/{id} (open -> pending)',
    status: 200,
    request: async (customerId, _, invoke) => patchRequest(await caseOf(customerId, invoke), 'pending'),
  },
  {
    label: 'PATCH /cases/{id} (pending -> open)',
    status: 200,
    request: async (customerId, _, invoke) => patchRequest(await pendingCase(customerId, invoke), 'open'),
  },
  {
    label: 'POST /cases/{id}/comments (public)',
    status: 201,
    request: async (customerId, _, invoke) => commentRequest(await caseOf(customerId, invoke), 1),
  },
  {
    label: 'GET /cases/{id}/comments',
    status: 200,
    request: async (customerId, _, invoke) => {
      const id = await caseOf(customerId, invoke);
      expectStatus(await invoke(apiEvent(commentRequest(id, 1))), 201, 'set-up POST /cases/{id}/comments');
      return { route: 'GET /cases/{id}/comments', pathParameters: { id } };
    },
  },
  {
    label: `POST /cases/{id}/assign {auto: true} (${ASSIGN_MEMBERS.length} members)`,
    status: 200,
    request: async (customerId, _, invoke) => {
      await (assignQueue ??= putQueue(invoke, ASSIGN_QUEUE, { members: ASSIGN_MEMBERS, managers: [] }));
      return { route: 'POST /cases/{id}/assign', pathParameters: { id: await caseOf(customerId, invoke, ASSIGN_QUEUE) }, body: { auto: true } };
    },
    check: (body) => (ASSIGN_MEMBERS.includes(String((body as Case).assigneeId)) ? undefined : `assigned to ${(body as Case).assigneeId}, not a queue member`),
  },
];

/** Issue 4 "Figures": DynamoDB requests per cases operation, counted at the SDK client. */
export function caseRequestsSection(): Section {
  return async (context) => {
    heading('DynamoDB requests per operation: cases (counted at the SDK client, per HTTP request sent)');
    const [api, { requests, client }] = await Promise.all([caseApi(context), context.table()]);
    // Items per transaction or batch of the counted request: the last invocation before check().
    const probe = requestProbe(client);
    let last: ProbedRequest[] = [];
    const invoke: Invoke = async (event) => {
      probe.take();
      try {
        return await api(event);
      } finally {
        last = probe.take();
      }
    };
    const items = new Map<string, string>();
    const operations = OPERATIONS.map((op): Operation => ({
      ...op,
      check: (body) => {
        const sized = last.filter((r) => r.items !== undefined).map((r) => `${r.name} of ${r.items} items`);
        if (sized.length) items.set(op.label, sized.join(', '));
        return op.check?.(body);
      },
    }));
    const counted = (await requestsPerOperation(invoke, requests, operations)).map((op) =>
      // A listing answered by a Scan is wrong whatever its count.
      LISTINGS.has(op.label) && !op.error && op.sent.some((name) => name === 'Scan') ? { ...op, error: `${op.label}: answered with a Scan` } : op,
    );
    const targetOf = (op: (typeof counted)[number]) => (op.target !== undefined ? `exactly ${op.target}` : undefined);
    const passOf = (op: (typeof counted)[number]) => (op.target !== undefined ? op.sent.length === op.target : undefined);
    table(
      counted.map((op) => [`${op.label}:`, describeRequests(op), items.get(op.label) ?? '', targetOf(op) ? `target ${targetOf(op)}` : '', op.error ? 'ERROR' : verdict(passOf(op))]),
    );
    for (const op of counted) if (op.error) console.log(`  ${op.label}: ${op.error}`);
    const create = counted.find((op) => op.label === 'POST /cases');
    if (create?.sent.includes('GetItem')) console.log('  POST /cases: the GetItem is the SLA policy pointer (read on every create; policy versions are cached per container).');
    return counted.map((op) => ({
      section: 'DynamoDB requests',
      figure: op.label,
      value: op.error ? 'ERROR' : `${op.sent.length} (${op.sent.join(' + ') || 'none'})`,
      ...(targetOf(op) ? { target: targetOf(op)! } : {}),
      ...(passOf(op) === undefined || op.error ? {} : { pass: passOf(op)! }),
      ...(op.error ? { error: op.error } : {}),
    }));
  };
}
