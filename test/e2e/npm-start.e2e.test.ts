import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ensurePortFree } from '../../infra/local/ports.ts';

// `npm start` as a person runs it: its own DynamoDB Local (Java), SES and API on chosen ports,
// a clean stop on SIGTERM with no Java left behind, and a clear message when a port is taken.

const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

const freePort = () => ensurePortFree(0, 'test', 'PORT');

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, ['infra/local/main.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
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
  });

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
});
