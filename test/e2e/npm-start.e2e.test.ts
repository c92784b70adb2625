import { type ChildProcess, execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { signDevToken } from '../../infra/local/dev-jwt.ts';
import { ensurePortFree } from '../../infra/local/ports.ts';
import { spawnCaptured } from '../support/child-process.ts';

// `npm start` as a person runs it: its own DynamoDB Local (Java), SES and API on chosen ports,
// a clean stop on SIGTERM with no Java left behind, and a clear message when a port is taken.

const started: ChildProcess[] = [];
afterEach(() => {
  // A test that failed half-way must not leave its runtime behind: npm, node and DynamoDB
  // Local's JVM all go (killing npm alone would orphan the JVM).
  for (const child of started.splice(0)) {
    if (child.exitCode !== null || child.pid === undefined) continue;
    const tree = descendants(child.pid);
    child.kill('SIGKILL');
    for (const pid of tree) if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
});

const freePort = () => ensurePortFree(0, 'test', 'PORT');

/** `npm start` exactly as a person runs it (npm -> node -> DynamoDB Local's JVM). */
function start(env: Record<string, string>) {
  const run = spawnCaptured('npm', ['start'], { ...process.env, ...env });
  started.push(run.child);
  return run;
}

function descendants(pid: number): number[] {
  try {
    const out = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)]).toString();
    const children = out.split('\n').map((s) => Number(s.trim())).filter(Boolean);
    return children.flatMap((c) => [c, ...descendants(c)]);
  } catch {
    return [];
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

// Two boots (each JVM start waited for up to 90 s by waitHealthy) do not fit vitest's default 60 s
// on a loaded machine; the test's own deadlines decide.
const BOOT_TWICE_TIMEOUT = 200_000;

async function waitHealthy(run: ReturnType<typeof start>, api: number) {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline && run.child.exitCode === null) {
    if (await fetch(`http://127.0.0.1:${api}/health`).then((r) => r.status === 200, () => false)) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

describe('npm start (infra/local/main.ts)', () => {
  it('serves /health, prints its URLs, and stops every child process on SIGTERM', async () => {
    const [api, ses, dynamo] = [await freePort(), await freePort(), await freePort()];
    const run = start({ PORT: String(api), SES_PORT: String(ses), DYNAMODB_PORT: String(dynamo) });
    const deadline = Date.now() + 90_000;
    let healthy = false;
    while (!healthy && Date.now() < deadline && run.child.exitCode === null) {
      healthy = await fetch(`http://127.0.0.1:${api}/health`).then((r) => r.status === 200, () => false);
      if (!healthy) await new Promise((r) => setTimeout(r, 250));
    }
    expect(healthy, run.output()).toBe(true);
    for (const url of [`http://127.0.0.1:${api}`, `http://127.0.0.1:${ses}`, `http://127.0.0.1:${dynamo}`]) expect(run.output()).toContain(url);
    expect((await fetch(`http://127.0.0.1:${ses}/store`)).status).toBe(200);

    const children = descendants(run.child.pid!);
    expect(children.length).toBeGreaterThan(0); // DynamoDB Local's JVM
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(children.filter(alive)).toEqual([]);
  }, 180_000); // DynamoDB Local starts slowly when the full suite loads the machine

  it('says which port is taken and how to choose another', async () => {
    const blocker = createServer();
    const port = await freePort();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    try {
      const run = start({ PORT: String(port), SES_PORT: String(await freePort()), DYNAMODB_PORT: String(await freePort()) });
      expect(await run.exited).toBe(1);
      expect(run.output()).toContain(`Port ${port} for the API is already in use`);
      expect(run.output()).toContain('PORT=<port>');
    } finally {
      blocker.close();
    }
  });

  it('keeps data between runs with CRM_DATA_DIR and does not publish old events again', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'crm-data-'));
    try {
      const env = async () => ({ PORT: String(await freePort()), SES_PORT: String(await freePort()), DYNAMODB_PORT: String(await freePort()), CRM_DATA_DIR: dataDir });
      const auth = { authorization: `Bearer ${await signDevToken({ role: 'agent' })}`, 'content-type': 'application/json' };

      const firstEnv = await env();
      const first = start(firstEnv);
      expect(await waitHealthy(first, Number(firstEnv.PORT)), first.output()).toBe(true);
      const api1 = `http://127.0.0.1:${firstEnv.PORT}`;
      const created = (await (await fetch(`${api1}/customers`, { method: "POST", headers: auth, body: JSON.stringify({ email: "kept@example.com" }) })).json()) as { id: string };
      const deadline = Date.now() + 10_000;
      let published = 0;
      while (published === 0 && Date.now() < deadline) {
        published = ((await (await fetch(`${api1}/_local/events`)).json()) as { items: unknown[] }).items.length;
        if (published === 0) await new Promise((r) => setTimeout(r, 100));
      }
      expect(published).toBe(1);
      first.child.kill('SIGTERM');
      expect(await first.exited).toBe(0);

      const secondEnv = await env();
      const second = start(secondEnv);
      expect(await waitHealthy(second, Number(secondEnv.PORT)), second.output()).toBe(true);
      const api2 = `http://127.0.0.1:${secondEnv.PORT}`;
      const read = await fetch(`${api2}/customers/${created.id}`, { headers: auth });
      expect(read.status).toBe(200);
      expect(((await read.json()) as { email: string }).email).toBe('kept@example.com');
      await new Promise((r) => setTimeout(r, 1000));
      expect(((await (await fetch(`${api2}/_local/events`)).json()) as { items: unknown[] }).items).toEqual([]);
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, BOOT_TWICE_TIMEOUT);
});
