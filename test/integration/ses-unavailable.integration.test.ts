import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dependencyFailure } from '../../functions/shared/dependency-errors.ts';
import { createSesClient, SES_CLIENT_LIMITS } from '../../functions/shared/ses-client.ts';
import { sesMailer } from '../../functions/shared/ses-mailer.ts';
import { LOCAL_AWS } from '../../infra/local/dynamodb-local.ts';

// The SES client as shipped (its timeouts and attempts) over a real socket to an endpoint that is
// not SES: a port nobody listens on, and a TCP server that accepts and never answers. Sending
// fails in bounded time with an error the API answers as 503 (and an event consumer retries),
// instead of waiting until Lambda's timeout.

const BOUND_MS = SES_CLIENT_LIMITS.maxAttempts * (SES_CLIENT_LIMITS.connectionTimeoutMs + SES_CLIENT_LIMITS.requestTimeoutMs) + 2_000;

let blackHole: Server;
const sockets = new Set<Socket>();
let closedPort: number;

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
}

beforeAll(async () => {
  blackHole = createServer((socket) => {
    sockets.add(socket); // read nothing, answer nothing
    socket.on('close', () => sockets.delete(socket));
  });
  const closed = createServer();
  closedPort = await listen(closed);
  await new Promise<void>((resolve) => closed.close(() => resolve()));
});
afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => (blackHole.listening ? blackHole.close(() => resolve()) : resolve()));
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
    const { error, ms } = await timedSend(`http://127.0.0.1:${closedPort}`);
    expect(dependencyFailure(error)).toBe('unavailable');
    expect(ms).toBeLessThan(BOUND_MS);
  });

  it('a server that accepts the connection and never answers: an unavailable failure after the bounded time, never a hang', async () => {
    const port = await listen(blackHole);
    const { error, ms } = await timedSend(`http://127.0.0.1:${port}`);
    expect(dependencyFailure(error)).toBe('unavailable');
    expect(ms).toBeGreaterThanOrEqual(SES_CLIENT_LIMITS.requestTimeoutMs);
    expect(ms).toBeLessThan(BOUND_MS);
  }, 40_000);
});
