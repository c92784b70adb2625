import { apiEvent, type Invoke } from './api-event.ts';
import type { Section } from './context.ts';
import { anonymousPool, BATCH_SIZE, batchOutcome, createCustomers, historyBatch, mixedBatch, seededRandom } from './interactions.ts';
import { type Operation, requestsSection } from './requests.ts';

/** Issue 3: "A 25-item batch uses batched DynamoDB requests, not one request per item." */
export const BATCH_REQUESTS_TARGET = BATCH_SIZE / 5;

const random = seededRandom(7);
const pool = anonymousPool(8, 'count');

/** The operation's customer plus `others - 1` more, as the batch's known people. */
async function peopleWith(id: string, invoke: Invoke, count: number): Promise<string[]> {
  return [id, ...(await createCustomers(invoke, count - 1))];
}

/** Every item of a batch answer `created`, else what was not. */
function allCreated(body: unknown): string | undefined {
  const outcome = batchOutcome({ statusCode: 200, body: JSON.stringify(body) }, BATCH_SIZE);
  return outcome.errors.length ? `${outcome.sent - outcome.created} of ${outcome.sent} items not created: ${outcome.errors.slice(0, 3).join('; ')}` : undefined;
}

async function withHistory(id: string, invoke: Invoke): Promise<void> {
  const result = await invoke(apiEvent(historyBatch(random, id)));
  const problem = batchOutcome(result, BATCH_SIZE).errors[0];
  if (problem) throw new Error(`set-up POST /interactions: ${problem}`);
}

const OPERATIONS: readonly Operation[] = [
  {
    label: `POST /interactions (${BATCH_SIZE} items)`,
    status: 200,
    atMost: BATCH_REQUESTS_TARGET,
    // 8 customers by customerId plus 4 anonymousId items, as in the ingestion section.
    request: async (id, _, invoke) => mixedBatch(random, await peopleWith(id, invoke, 8), pool, { customersPerBatch: [8, 8], anonymousPerBatch: [4, 4] }),
    check: allCreated,
  },
  {
    label: `POST /interactions (${BATCH_SIZE} items, ${BATCH_SIZE} customers)`,
    status: 200,
    request: async (id, _, invoke) =>
      mixedBatch(random, await peopleWith(id, invoke, BATCH_SIZE), pool, { customersPerBatch: [BATCH_SIZE, BATCH_SIZE], anonymousPerBatch: [0, 0] }),
    check: allCreated,
  },
  {
    label: 'GET /customers/{id}/timeline',
    status: 200,
    target: 1,
    request: async (id, _, invoke) => {
      await withHistory(id, invoke);
      return { route: 'GET /customers/{id}/timeline', pathParameters: { id } };
    },
  },
  {
    label: 'GET /customers/{id}/timeline?channel=web',
    status: 200,
    request: async (id, _, invoke) => {
      await withHistory(id, invoke);
      return { route: 'GET /customers/{id}/timeline', pathParameters: { id }, query: { channel: 'web' } };
    },
  },
  {
    label: 'POST /customers/{id}/interactions',
    status: 201,
    request: (id) => ({ route: 'POST /customers/{id}/interactions', pathParameters: { id }, body: { channel: 'web', type: 'page_view' } }),
  },
];

export function interactionRequestsSection(): Section {
  return requestsSection('DynamoDB requests per operation: interactions (counted at the SDK client, per HTTP request sent)', OPERATIONS);
}
