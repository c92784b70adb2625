import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

// npm run redrive against the local runtime: a consumer that failed for good (SES down past the
// bus's maximum event age) has its event in the failure queue; the script hands it back once.

const root = new URL('../..', import.meta.url).pathname;
let t: TestRuntime;
let dataDir: string;

/** The script as `npm run redrive -- ...` runs it (asynchronously: the runtime answers from this process). */
const redrive = (...args: string[]) =>
  new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, ['scripts/redrive.ts', ...args, '--url', t.runtime.url], { cwd: root }, (error, stdout, stderr) =>
      resolve({ status: error ? Number((error as { code?: number }).code) : 0, stdout, stderr }),
    );
  });
const failures = async () => ((await (await fetch(`${t.runtime.url}/_local/failures`)).json()) as { kept: boolean; queues: Record<string, number> });
const mailsTo = async (address: string) =>
  ((await (await fetch(`${t.runtime.sesUrl}/store`)).json()) as { emails: { destination: { to: string[] } }[] }).emails.filter((e) => e.destination.to.includes(address));
const deadLetters = () => join(dataDir, 'bus', 'dead-letter');

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'crm-redrive-'));
  // A failing delivery goes to the dead-letter queue after 300 ms instead of 6 hours, a failing
  // stream batch to its failure queue after one try instead of 10 backed-off retries.
  t = await startTestRuntime({ dataDir, busMaxEventAgeMs: 300, streamRetryAttempts: 0 });
  expect((await t.call('PUT', '/topics', { role: 'admin', body: [{ id: 'newsletter', name: 'Newsletter', purpose: 'marketing' }] })).status).toBe(200);
}, 60_000);
afterAll(async () => {
  await t?.runtime.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm run redrive (local runtime)', () => {
  it('hands a dead-lettered event back to its consumer once: failed again it stays, taken it leaves, and a second run does nothing', async () => {
    const customer = (await t.call('POST', '/customers', { body: { email: 'redrive@example.com' } })).json as { id: string };
    await t.runtime.idle();
    await t.runtime.sesOutage.stop();
    expect((await t.call('POST', `/customers/${customer.id}/consents`, { body: { topic: 'newsletter', action: 'request', source: 'form' } })).status).toBe(202);
    // (runtime.idle() reads the SES store, which is down: wait for the dead letter instead.)
    await eventually(async () => ((await failures()).queues.optInMail === 1 ? true : undefined));
    expect((await failures()).queues).toEqual({ optInMail: 1 });

    // SES still down: the consumer fails again, the message stays as it was, exit 1.
    const again = await redrive('--queue', 'optInMail');
    expect(again.status, again.stderr).toBe(1);
    expect(JSON.parse(again.stdout)).toMatchObject({ queue: 'optInMail', redriven: 0, failedAgain: 1 });
    expect((await failures()).queues).toEqual({ optInMail: 1 });

    await t.runtime.sesOutage.restart();
    const [kept] = readdirSync(deadLetters());
    copyFileSync(join(deadLetters(), kept!), join(dataDir, 'copy.json'));
    const done = await redrive('--queue', 'optInMail');
    expect(done.status, done.stderr).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({ queue: 'optInMail', redriven: 1, failedAgain: 0 });
    expect(await mailsTo('redrive@example.com')).toHaveLength(1);
    expect((await failures()).queues).toEqual({});

    const nothing = await redrive('--queue', 'optInMail');
    expect(JSON.parse(nothing.stdout)).toMatchObject({ redriven: 0, failedAgain: 0 });

    // The same message redriven again (as if a redrive had crashed before removing it): the consumer dedupes by event id.
    copyFileSync(join(dataDir, 'copy.json'), join(deadLetters(), kept!));
    expect(JSON.parse((await redrive('--queue', 'optInMail')).stdout)).toMatchObject({ redriven: 1, failedAgain: 0 });
    expect(await mailsTo('redrive@example.com')).toHaveLength(1);
  }, 90_000);

  it("puts a stream batch the outbox publisher gave up on back through it: the event is published once, and the sweep leaves it alone", async () => {
    await t.runtime.busOutage.stop();
    let customer: { id: string };
    try {
      customer = (await t.call('POST', '/customers', { body: { email: 'stream@example.com' } })).json as { id: string };
      await eventually(async () => ((await failures()).queues['outboxPublisher-stream'] === 1 ? true : undefined));
    } finally {
      await t.runtime.busOutage.restart();
    }
    const created = async () =>
      ((await t.call('GET', '/_local/events?limit=500', { role: null })).json.items as { detailType: string; detail: { data: { customerId: string } } }[]).filter(
        (e) => e.detailType === 'CustomerCreated' && e.detail.data.customerId === customer.id,
      );
    expect(await created()).toEqual([]);
    const done = await redrive('--queue', 'outboxPublisher-stream');
    expect(done.status, done.stderr).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({ queue: 'outboxPublisher-stream', redriven: 1, failedAgain: 0 });
    expect(await created()).toHaveLength(1);
    expect((await failures()).queues).toEqual({});
    expect((await t.call('POST', '/_local/clock/advance', { role: null, body: { seconds: 31 * 60 } })).status).toBe(200);
    expect(await created()).toHaveLength(1);
  }, 60_000);

  it('lists the queues with messages waiting, and refuses a queue that does not exist before reaching the runtime', async () => {
    const listed = await redrive('--list');
    expect(listed.status, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual({ kept: true, queues: {} });
    const unknown = await redrive('--queue', 'nope');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("Unknown failure queue 'nope'");
  }, 30_000);

  it('answers a redrive request that names no failure queue with 400', async () => {
    const res = await fetch(`${t.runtime.url}/_local/redrive`, { method: 'POST', body: JSON.stringify({ queue: 'customers' }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { detail: string }).detail).toContain('outboxPublisher-stream');
  });
});
