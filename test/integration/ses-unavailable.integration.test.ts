import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dependencyFailure } from '../../functions/shared/dependency-errors.ts';
import { createSesClient, SES_CLIENT_LIMITS } from '../../functions/shared/ses-client.ts';
import { sesMailer } from '../../functions/shared/ses-mailer.ts';
import { LOCAL_AWS } from '../../infra/local/dynamodb-local.ts';
import { unreachableEndpoints } from '../support/unreachable.ts';

// The SES client as shipped (its timeouts and attempts) over a real socket to an endpoint that is
// not SES: a port nobody listens on, and a TCP server that accepts and never answers. Sending
// fails in bounded time with an error the API answers as 503 (and an event consumer retries),
// instead of waiting until Lambda's timeout.

const BOUND_MS = SES_CLIENT_LIMITS.maxAttempts * (SES_CLIENT_LIMITS.connectionTimeoutMs + SES_CLIENT_LIMITS.requestTimeoutMs) + 2_000;

let endpoints: Awaited<ReturnType<typeof unreachableEndpoints>>;

beforeAll(async () => {
  endpoints = await unreachableEndpoints();
});
afterAll(async () => {
  await endpoints?.close();
});

async function timedSend(endpoint: string) {
  const client = createSesClient({ endpoint, ...LOCAL_AWS });
  const mailer = sesMailer(client, { from: 'no-reply@example.com' });
  const started = performance.now();
  try {
    const error = await mailer.send({ to: ['ada@example.com'], subject: 'Hello', text: 'Hi', kind: 'marketing' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    return { error, ms: performance.now() - started };
  } finally {
    client.destroy();
  }
}

describe('SES unreachable', () => {
  it('a closed port: an unavailable failure at once', async () => {
    const { error, ms } = await timedSend(endpoints.closed);
    expect(dependencyFailure(error)).toBe('unavailable');
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('a server that accepts the connection and never answers: an unavailable failure after the bounded time, never a hang', async () => {
    const { error, ms } = await timedSend(endpoints.blackHole);
    expect(dependencyFailure(error)).toBe('unavailable');
    expect(ms).toBeGreaterThanOrEqual(SES_CLIENT_LIMITS.requestTimeoutMs);
    expect(ms).toBeLessThan(BOUND_MS);
  }, 40_000);
});
