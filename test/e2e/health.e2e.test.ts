import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { startSesLocal } from '../../infra/local/ses-local.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

// GET /health of the real local runtime, with its parts stopped under it: DynamoDB Local behind a
// TCP relay the test can cut (and restore), and an aws-ses-v2-local the test started and stops.

/** A TCP relay to DynamoDB Local on a fixed port, which can be cut (port closed) and restored. */
function relayTo(target: URL) {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const open = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(Number(target.port), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => {
            client.destroy();
            upstream.destroy();
          });
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as { port: number }).port;
        resolve();
      });
    });
  const cut = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server!.close(() => resolve());
    });
  return { open, cut, endpoint: () => `http://127.0.0.1:${port}` };
}

let t: TestRuntime;
let relay: ReturnType<typeof relayTo>;
let ses: Awaited<ReturnType<typeof startSesLocal>>;

beforeAll(async () => {
  relay = relayTo(new URL(inject('dynamodbEndpoint')));
  await relay.open();
  ses = await startSesLocal(0);
  t = await startTestRuntime({ dynamodbEndpoint: relay.endpoint(), sesEndpoint: ses.endpoint });
});
afterAll(async () => {
  await t?.runtime.stop();
  await ses?.stop().catch(() => undefined);
});

const health = async () => {
  const res = await fetch(`${t.runtime.url}/health`);
  return { status: res.status, body: await res.json() };
};

describe('GET /health', () => {
  it('reports the table and the local SES separately: 200 when both answer', async () => {
    expect(await health()).toEqual({ status: 200, body: { status: 'ok', checks: { table: { status: 'ok' }, email: { status: 'ok' } } } });
  });

  it('is 503 naming the table when DynamoDB is down, API calls answer 503 with Retry-After, and both recover', async () => {
    await relay.cut();
    expect(await health()).toEqual({ status: 503, body: { status: 'unavailable', checks: { table: { status: 'down' }, email: { status: 'ok' } } } });
    const started = performance.now();
    const res = await t.call('GET', '/customers?limit=1');
    expect(res.status, res.text).toBe(503);
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(res.json.type).toBe('urn:ecrm:problem:unavailable');
    expect(performance.now() - started).toBeLessThan(10_000);

    await relay.open();
    await eventually(async () => ((await health()).status === 200 ? true : undefined));
    expect((await t.call('GET', '/customers?limit=1')).status).toBe(200);
  });

  it('is 503 naming the email service when the local SES is down', async () => {
    await ses.stop();
    expect(await health()).toEqual({ status: 503, body: { status: 'unavailable', checks: { table: { status: 'ok' }, email: { status: 'down' } } } });
  });
});
