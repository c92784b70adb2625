import { apiEvent, expectStatus, type Invoke, type Request } from './api-event.ts';
import type { Section } from './context.ts';
import type { RequestLog } from './dynamodb.ts';
import { heading, table, verdict } from './report.ts';

export interface OperationRequests {
  readonly label: string;
  /** DynamoDB operations the one HTTP request caused, in order. */
  readonly sent: readonly string[];
  /** Required count, where the issue sets one. */
  readonly target?: number;
  /** Upper bound instead of an exact count, where the issue sets one. */
  readonly atMost?: number;
  /** Why the operation could not be counted (e.g. the handler answered 500). */
  readonly error?: string;
}

export interface Operation {
  readonly label: string;
  readonly status: number;
  readonly target?: number;
  readonly atMost?: number;
  /** Runs before counting starts, so set-up requests made here (through invoke) are not counted. */
  request(id: string, email: string, invoke: Invoke): Request | Promise<Request>;
  /** A message when the answer, though of the right status, is not what the count is about. */
  check?(body: unknown): string | undefined;
}

// One request per operation on a customer created for it; set-up requests are not counted.
const OPERATIONS: readonly Operation[] = [
  { label: 'POST /customers', status: 201, target: 1, request: () => createRequest() },
  {
    label: 'POST /customers (Idempotency-Key)',
    status: 201,
    request: () => ({ ...createRequest(), headers: { 'idempotency-key': `bench-${crypto.randomUUID()}` } }),
  },
  { label: 'GET /customers/{id}', status: 200, target: 1, request: (id) => ({ route: 'GET /customers/{id}', pathParameters: { id } }) },
  {
    label: 'PATCH /customers/{id}',
    status: 200,
    request: (id) => ({ route: 'PATCH /customers/{id}', pathParameters: { id }, body: { firstName: 'Patched' } }),
  },
  { label: 'GET /customers?email=', status: 200, request: (_, email) => ({ route: 'GET /customers', query: { email } }) },
  { label: 'GET /customers?tag=', status: 200, request: () => ({ route: 'GET /customers', query: { tag: 'bench' } }) },
  { label: 'GET /customers (list)', status: 200, request: () => ({ route: 'GET /customers' }) },
  {
    label: 'DELETE /customers/{id}',
    status: 204,
    request: (id) => ({ route: 'DELETE /customers/{id}', pathParameters: { id }, headers: { 'if-match': '"1"' }, groups: '[manager]' }),
  },
];

let created = 0;

/** A valid create request with a unique email and two tags (each tag is its own item). */
export function createRequest(): Request {
  const n = ++created;
  return {
    route: 'POST /customers',
    body: {
      email: `bench-${n}-${process.pid}@example.com`,
      firstName: 'Bench',
      lastName: `Customer ${n}`,
      locale: 'en-GB',
      timezone: 'Europe/London',
      tags: ['bench', n % 2 ? 'odd' : 'even'],
    },
  };
}

export async function requestsPerOperation(invoke: Invoke, log: RequestLog, operations: readonly Operation[] = OPERATIONS): Promise<OperationRequests[]> {
  const results: OperationRequests[] = [];
  for (const operation of operations) {
    const target = {
      ...(operation.target !== undefined ? { target: operation.target } : {}),
      ...(operation.atMost !== undefined ? { atMost: operation.atMost } : {}),
    };
    const setUp = createRequest();
    const customer = expectStatus(await invoke(apiEvent(setUp)), 201, 'set-up POST /customers') as { id: string; email: string };
    const request = await operation.request(customer.id, customer.email, invoke);
    log.take();
    const result = await invoke(apiEvent(request));
    const sent = log.take();
    try {
      const body = expectStatus(result, operation.status, operation.label);
      const problem = operation.check?.(body);
      if (problem) throw new Error(`${operation.label}: ${problem}`);
      results.push({ label: operation.label, sent, ...target });
    } catch (error) {
      // One broken route should not hide the counts of the others.
      results.push({ label: operation.label, sent, ...target, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return results;
}

export function describeRequests({ sent, error }: OperationRequests): string {
  if (error) return `ERROR after ${sent.join(' + ') || 'no requests'}`;
  return `${sent.length} request${sent.length === 1 ? '' : 's'} (${sent.join(' + ') || 'none'})`;
}

export function customerRequestsSection(): Section {
  return requestsSection('DynamoDB requests per operation: customers (counted at the SDK client, per HTTP request sent)', OPERATIONS);
}

/** Counts each operation's DynamoDB requests, prints them with their names, returns the counts. */
export function requestsSection(title: string, operations: readonly Operation[]): Section {
  return async (context) => {
    heading(title);
    const [invoke, { requests }] = await Promise.all([context.customers(), context.table()]);
    const counted = await requestsPerOperation(invoke, requests, operations);
    table(counted.map((op) => [`${op.label}:`, describeRequests(op), targetOf(op) ? `target ${targetOf(op)}` : '', verdictOf(op)]));
    for (const op of counted) if (op.error) console.log(`  ${op.label}: ${op.error}`);
    // The summary keeps only the count; the operations are listed above.
    return counted.map((op) => ({
      section: 'DynamoDB requests',
      figure: op.label,
      value: op.error ? 'ERROR' : String(op.sent.length),
      ...(targetOf(op) ? { target: targetOf(op) } : {}),
      ...(passOf(op) === undefined || op.error ? {} : { pass: passOf(op) }),
      ...(op.error ? { error: op.error } : {}),
    }));
  };
}

const targetOf = (op: OperationRequests) =>
  op.target !== undefined ? `exactly ${op.target}` : op.atMost !== undefined ? `<= ${op.atMost}` : undefined;

const passOf = (op: OperationRequests) =>
  op.target !== undefined ? op.sent.length === op.target : op.atMost !== undefined ? op.sent.length <= op.atMost : undefined;

const verdictOf = (op: OperationRequests) => (op.error ? 'ERROR' : verdict(passOf(op)));
