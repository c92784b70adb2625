import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { alive, killStartedProcesses, type LocalProcess, processesMatching, startLocalProcess, waitFor } from '../support/local-process.ts';

// npm start with CRM_DATA_DIR survives a crash: kill -9 of the runtime in the middle of SLA
// escalation loses no breach, and every breach is escalated once after the restart.

const dataDirs: string[] = [];
const ports: number[] = [];
afterEach(() => {
  killStartedProcesses();
  // An orphaned JVM (the defect the watchdog fixes) must not outlive the test either.
  for (const port of ports.splice(0)) for (const pid of processesMatching(`-port ${port}`)) process.kill(pid, 'SIGKILL');
  for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function newDataDir() {
  const dir = mkdtempSync(join(tmpdir(), 'crm-crash-'));
  dataDirs.push(dir);
  return dir;
}

async function start(dataDir: string) {
  const run = await startLocalProcess({ CRM_DATA_DIR: dataDir });
  ports.push(run.ports.dynamodb);
  return run;
}

const ALWAYS_OPEN = { firstResponseMinutes: 30, resolutionMinutes: 24 * 60, calendar: '24x7' };
const POLICY = {
  timezone: 'UTC',
  businessHours: { mon: [['09:00', '17:00']], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] },
  holidays: [],
  targets: { urgent: ALWAYS_OPEN, high: ALWAYS_OPEN, normal: ALWAYS_OPEN, low: ALWAYS_OPEN },
  warnAtPercent: 99,
};
const CASES = 30;

async function escalationLevels(run: LocalProcess, customerId: string): Promise<number[]> {
  const res = await run.call('GET', `/cases?customerId=${customerId}&limit=100`);
  if (res.status !== 200) throw new Error(`GET /cases: ${res.status} ${res.text}`);
  return (res.json.items as { escalationLevel: number }[]).map((c) => c.escalationLevel);
}

describe('local mode that survives a crash (CRM_DATA_DIR)', () => {
  it('escalates every breach exactly once after a kill -9 in the middle of escalation', async () => {
    const dataDir = newDataDir();
    const first = await start(dataDir);
    expect((await first.call('PUT', '/sla-policy', { role: 'admin', body: POLICY })).status).toBe(200);
    const customerId = (await first.call('POST', '/customers', { body: { email: 'crash@example.com' } })).json.id as string;
    for (let i = 0; i < CASES; i++) {
      const opened = await first.call('POST', '/cases', { body: { customerId, subject: `Case ${i}`, channel: 'email' } });
      expect(opened.status, opened.text).toBe(201);
    }

    // Every case breaches its first response; kill -9 as soon as the first escalations land.
    void first.call('POST', '/_local/clock/advance', { role: null, body: { seconds: 31 * 60 } }).catch(() => undefined);
    let seen: number[] = [];
    const caughtMidway = await waitFor(
      async () => {
        seen = await escalationLevels(first, customerId).catch(() => seen);
        const escalated = seen.filter((level) => level > 0).length;
        return escalated > 0;
      },
      30_000,
      5,
    );
    first.child.kill('SIGKILL');
    await first.exited;
    expect(caughtMidway, first.output()).toBe(true);
    const escalatedBeforeCrash = seen.filter((level) => level > 0).length;
    expect(escalatedBeforeCrash).toBeLessThan(CASES); // the kill landed mid-escalation

    const second = await start(dataDir);
    // A sweep after the restart finds the cases the first sweep had not reached (whether or not
    // the virtual clock kept its offset: another 31 minutes is past their due time either way).
    expect((await second.call('POST', '/_local/clock/advance', { role: null, body: { seconds: 31 * 60 } })).status).toBe(200);
    let levels: number[] = [];
    await waitFor(async () => {
      levels = await escalationLevels(second, customerId);
      return levels.every((level) => level > 0);
    }, 60_000);
    expect(levels).toHaveLength(CASES);
    expect(levels.filter((level) => level !== 1), `escalated before the crash: ${escalatedBeforeCrash}`).toEqual([]);
  }, 300_000);

  it('leaves no DynamoDB Local JVM behind when the runtime is killed with kill -9', async () => {
    const dataDir = newDataDir();
    const run = await start(dataDir);
    const jvms = processesMatching(`-port ${run.ports.dynamodb}`).filter((pid) => processesMatching(dataDir).includes(pid));
    expect(jvms.length, 'the JVM runs with this data dir and port').toBeGreaterThan(0);
    run.child.kill('SIGKILL');
    await run.exited;
    expect(await waitFor(() => jvms.every((pid) => !alive(pid)), 15_000), `still running: ${jvms.filter(alive).join(', ')}`).toBe(true);
    expect(processesMatching(dataDir)).toEqual([]);
  }, 180_000);

  it('keeps the virtual clock offset across a kill -9 and restart', async () => {
    const dataDir = newDataDir();
    const first = await start(dataDir);
    const advanced = await first.call('POST', '/_local/clock/advance', { role: null, body: { seconds: 3 * 3600 } });
    expect(advanced.status).toBe(200);
    first.child.kill('SIGKILL');
    await first.exited;

    const second = await start(dataDir);
    const again = await second.call('POST', '/_local/clock/advance', { role: null, body: { seconds: 1 } });
    const aheadMs = Date.parse(again.json.now) - Date.now();
    expect(aheadMs).toBeGreaterThan(3 * 3600 * 1000 - 60_000);
    expect(aheadMs).toBeLessThan(3 * 3600 * 1000 + 60_000);
  }, 180_000);
});
