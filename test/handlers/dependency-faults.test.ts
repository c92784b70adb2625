import {
  InternalServerError,
  ProvisionedThroughputExceededException,
  RequestLimitExceeded,
  ThrottlingException,
  TransactionCanceledException,
  TransactionConflictException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { casesHandler } from '../../functions/cases/cases.app.ts';
import { caseRepository, publishedArticlesFor } from '../../functions/cases/cases.composition.ts';
import { consentHandler } from '../../functions/consent/consent.app.ts';
import { consentAppFor } from '../../functions/consent/consent.composition.ts';
import { dynamoCustomerRepository } from '../../functions/customers/customer.dynamodb-repository.ts';
import { customersHandler } from '../../functions/customers/customers.app.ts';
import { createTableClient } from '../../functions/shared/table-client.ts';
import { claimsFor, invoke } from '../support/api-gateway.ts';
import { fakeClock, sequentialIds } from '../support/fakes.ts';
import { dynamoErasureRequests } from '../../functions/customers/erasure-request.dynamodb-repository.ts';

// The real handlers and DynamoDB adapters, with faults injected at the SDK edge: what DynamoDB
// (or the network to it) answers when it is down, slow, throttling or contended.

const AGENT = claimsFor(['agent']);
const ADMIN = claimsFor(['admin']);
const client = createTableClient({ region: 'eu-central-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const table = mockClient(DynamoDBDocumentClient);
let errorLog: ReturnType<typeof vi.spyOn>;

function handlers() {
  const clock = fakeClock('2025-01-15T09:00:00.000Z');
  const ids = sequentialIds('f');
  const infra = { client, tableName: 'crm', clock, ids };
  return {
    customers: customersHandler({ customers: dynamoCustomerRepository(infra), clock, ids, erasureRequests: dynamoErasureRequests(infra) }),
    cases: casesHandler({ cases: caseRepository(infra), clock, ids, articles: publishedArticlesFor(infra) }),
    consent: consentHandler(consentAppFor(infra, new SESv2Client({ region: 'eu-central-1' }), { from: 'crm@example.test' }, 'x'.repeat(32))),
  };
}

beforeEach(() => {
  table.reset();
  errorLog = vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => errorLog.mockRestore());

const meta = { $metadata: { httpStatusCode: 500, attempts: 3 } };
const networkError = (code: string) => Object.assign(new Error(`connect ${code} 127.0.0.1:8000`), { code, errno: -111, syscall: 'connect' });
const timeout = () => Object.assign(new Error('@smithy/node-http-handler - a request has exceeded the configured 2000 ms requestTimeout.'), { name: 'TimeoutError', code: 'ETIMEDOUT' });

const UNAVAILABLE: [string, () => Error][] = [
  ['a request timeout', timeout],
  ['a connection timeout', () => Object.assign(new Error('the request socket did not establish a connection'), { name: 'TimeoutError' })],
  ['connection refused', () => networkError('ECONNREFUSED')],
  ['connection reset', () => networkError('ECONNRESET')],
  ['an unknown host', () => networkError('ENOTFOUND')],
  ['provisioned throughput exceeded', () => new ProvisionedThroughputExceededException({ message: 'slow down', ...meta })],
  ['request limit exceeded', () => new RequestLimitExceeded({ message: 'slow down', ...meta })],
  ['throttling', () => new ThrottlingException({ message: 'slow down', ...meta })],
  ['an internal server error', () => new InternalServerError({ message: 'oops', ...meta })],
  [
    'a transaction cancelled by throttling',
    () => new TransactionCanceledException({ message: 'cancelled', ...meta, CancellationReasons: [{ Code: 'ThrottlingError' }, { Code: 'None' }] }),
  ],
];

function expectUnavailable(response: { statusCode: number; headers: Record<string, string>; json: any; text: string }, context: string) {
  expect(response.statusCode, context).toBe(503);
  expect(response.headers['content-type']).toBe('application/problem+json');
  expect(response.headers['retry-after'], context).toMatch(/^[1-9]\d*$/);
  expect(response.json).toMatchObject({ type: 'urn:ecrm:problem:unavailable', status: 503, title: expect.any(String), detail: expect.any(String) });
  expect(response.text).not.toMatch(/127\.0\.0\.1|ECONN|slow down|oops|smithy/);
}

describe('DynamoDB unreachable, slow or throttling: 503 with Retry-After', () => {
  it.each(UNAVAILABLE)('%s on a read of every context', async (what, error) => {
    const { customers, cases, consent } = handlers();
    table.on(GetCommand).rejects(error()).on(QueryCommand).rejects(error());
    expectUnavailable(await invoke(customers, { routeKey: 'GET /customers/{id}', pathParameters: { id: 'c-1' }, claims: AGENT }), `customers ${what}`);
    expectUnavailable(await invoke(cases, { routeKey: 'GET /cases/{id}', pathParameters: { id: 'k-1' }, claims: AGENT }), `cases ${what}`);
    expectUnavailable(await invoke(consent, { routeKey: 'GET /topics', claims: AGENT }), `consent ${what}`);
  });

  it.each(UNAVAILABLE)('%s on a write', async (what, error) => {
    table.on(TransactWriteCommand).rejects(error());
    expectUnavailable(await invoke(handlers().customers, { routeKey: 'POST /customers', body: { email: 'ada@example.com' }, claims: AGENT }), what);
  });

  it('an error that is not about availability stays a 500 that reveals nothing', async () => {
    table.on(GetCommand).rejects(new Error('something unexpected'));
    const response = await invoke(handlers().customers, { routeKey: 'GET /customers/{id}', pathParameters: { id: 'c-1' }, claims: AGENT });
    expect(response.statusCode).toBe(500);
    expect(response.headers['retry-after']).toBeUndefined();
  });
});

describe('TransactionConflict cancellations (real DynamoDB under contention)', () => {
  const conflict = () =>
    new TransactionCanceledException({ message: 'Transaction cancelled', ...meta, CancellationReasons: [{ Code: 'TransactionConflict' }, { Code: 'None' }, { Code: 'None' }] });

  it('are retried: a conflict that clears commits the write once', async () => {
    table.on(TransactWriteCommand).rejectsOnce(conflict()).rejectsOnce(conflict()).resolves({});
    const response = await invoke(handlers().customers, { routeKey: 'POST /customers', body: { email: 'ada@example.com' }, claims: AGENT });
    expect(response.statusCode).toBe(201);
    expect(table.commandCalls(TransactWriteCommand)).toHaveLength(3);
  });

  it('that persist end in a 409 after a bounded number of tries, never a 500', async () => {
    table.on(TransactWriteCommand).rejects(conflict());
    const response = await invoke(handlers().customers, { routeKey: 'POST /customers', body: { email: 'ada@example.com' }, claims: AGENT });
    expect(response.statusCode).toBe(409);
    expect(response.headers['content-type']).toBe('application/problem+json');
    const tries = table.commandCalls(TransactWriteCommand).length;
    expect(tries).toBeGreaterThan(1);
    expect(tries).toBeLessThanOrEqual(10);
  });

  it('on a PUT of the cases context too (409, not 500)', async () => {
    table.on(TransactWriteCommand).rejects(conflict());
    const response = await invoke(handlers().cases, { routeKey: 'PUT /queues/{name}', pathParameters: { name: 'general' }, body: { members: [], managers: [] }, claims: ADMIN });
    expect(response.statusCode).toBe(409);
  });

  it('a single-item write in conflict with a transaction is a 409 too', async () => {
    table.on(UpdateCommand).rejects(new TransactionConflictException({ message: 'conflict', ...meta }));
    table.on(GetCommand).resolves({});
    const response = await invoke(handlers().cases, { routeKey: 'POST /cases', body: { customerId: 'c-1', subject: 's', channel: 'web' }, claims: AGENT });
    expect(response.statusCode).toBe(409);
  });
});

describe('the table client', () => {
  it('bounds every request: connection and request timeouts (which throw), and a bounded number of attempts', async () => {
    const handler = await (client.config.requestHandler as unknown as { configProvider: Promise<Record<string, unknown>> }).configProvider;
    expect(handler).toMatchObject({ connectionTimeout: expect.any(Number), requestTimeout: expect.any(Number), throwOnRequestTimeout: true });
    expect(await client.config.maxAttempts()).toBeLessThanOrEqual(3);
  });
});
