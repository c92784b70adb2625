import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { dynamoCustomerRepository } from '../../functions/customers/customer.dynamodb-repository.ts';
import { customersHandler } from '../../functions/customers/customers.app.ts';
import { systemClock, uuidIds } from '../../functions/shared/system.ts';
import { createTableClient, TABLE_CLIENT_LIMITS } from '../../functions/shared/table-client.ts';
import { LOCAL_AWS } from '../../infra/local/dynamodb-local.ts';
import { unreachableEndpoints } from '../support/unreachable.ts';
import { claimsFor, invoke } from '../support/api-gateway.ts';
import { dynamoErasureRequests } from '../../functions/customers/erasure-request.dynamodb-repository.ts';

// The customers handler with the table client exactly as shipped (its timeouts and attempts), over
// a real socket to an endpoint that is not DynamoDB: a port nobody listens on, and a TCP server
// that accepts connections and never answers. Either way: a 503 with Retry-After, in bounded time.

/** Every attempt waits out its request timeout; the SDK's backoff between attempts is well under a second. */
const BOUND_MS = TABLE_CLIENT_LIMITS.maxAttempts * (TABLE_CLIENT_LIMITS.connectionTimeoutMs + TABLE_CLIENT_LIMITS.requestTimeoutMs) + 2_000;

let endpoints: Awaited<ReturnType<typeof unreachableEndpoints>>;
let warnings: ReturnType<typeof vi.spyOn>;

beforeAll(async () => {
  endpoints = await unreachableEndpoints();
});
afterAll(async () => {
  await endpoints?.close();
});
afterEach(() => warnings?.mockRestore());

function customersAt(endpoint: string) {
  const client = createTableClient({ endpoint, ...LOCAL_AWS });
  const handler = customersHandler({
    customers: dynamoCustomerRepository({ client, tableName: 'crm', ids: uuidIds, clock: systemClock }),
    clock: systemClock,
    ids: uuidIds,
    erasureRequests: dynamoErasureRequests({ client, tableName: 'crm', ids: uuidIds, clock: systemClock }),
  });
  return { client, handler };
}

async function timedGet(endpoint: string) {
  warnings = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  const { client, handler } = customersAt(endpoint);
  const started = performance.now();
  try {
    const response = await invoke(handler, { routeKey: 'GET /customers/{id}', pathParameters: { id: 'c-1' }, claims: claimsFor(['agent']) });
    return { response, ms: performance.now() - started };
  } finally {
    client.destroy();
  }
}

describe('DynamoDB unreachable', () => {
  it('a closed port: 503 with Retry-After, at once', async () => {
    const { response, ms } = await timedGet(endpoints.closed);
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toMatch(/^\d+$/);
    expect(response.json.type).toBe('urn:ecrm:problem:unavailable');
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('a server that accepts the connection and never answers: 503 after the bounded time, never a hang', async () => {
    const { response, ms } = await timedGet(endpoints.blackHole);
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toMatch(/^\d+$/);
    expect(response.json.type).toBe('urn:ecrm:problem:unavailable');
    expect(ms).toBeGreaterThanOrEqual(TABLE_CLIENT_LIMITS.requestTimeoutMs);
    expect(ms).toBeLessThan(BOUND_MS);
  }, 30_000);
});
