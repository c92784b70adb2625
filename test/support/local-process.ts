import { type ChildProcess, execFileSync } from 'node:child_process';
import { signDevToken } from '../../infra/local/dev-jwt.ts';
import { ensurePortFree } from '../../infra/local/ports.ts';
import type { Role } from '../../infra/topology.ts';
import { readAnswer, spawnCaptured } from './child-process.ts';

// `node infra/local/main.ts` as its own process, so that a test can kill -9 it as a crash would
// and start it again on the same CRM_DATA_DIR.

export interface LocalProcess {
  readonly child: ChildProcess;
  readonly api: string;
  readonly ports: { api: number; ses: number; dynamodb: number };
  readonly exited: Promise<number | null>;
  output(): string;
  call(method: string, path: string, options?: { role?: Role | null; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; headers: Headers; json: any; text: string }>;
}

const started: ChildProcess[] = [];
const freePort = () => ensurePortFree(0, 'test', 'PORT');

/** Starts main.ts on free ports and resolves once /health answers 200. */
export async function startLocalProcess(env: Record<string, string> = {}): Promise<LocalProcess> {
  const ports = { api: await freePort(), ses: await freePort(), dynamodb: await freePort() };
  const { child, exited, output } = spawnCaptured(process.execPath, ['infra/local/main.ts'], {
    ...process.env,
    PORT: String(ports.api),
    SES_PORT: String(ports.ses),
    DYNAMODB_PORT: String(ports.dynamodb),
    ...env,
  });
  started.push(child);
  const api = `http://127.0.0.1:${ports.api}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (await fetch(`${api}/health`).then((r) => r.status === 200, () => false)) break;
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`main.ts did not become healthy:\n${output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const tokens = new Map<Role, string>();
  async function call(method: string, path: string, options: { role?: Role | null; body?: unknown; headers?: Record<string, string> } = {}) {
    const headers: Record<string, string> = { ...options.headers };
    const role = options.role === undefined ? 'agent' : options.role;
    if (role) {
      if (!tokens.has(role)) tokens.set(role, await signDevToken({ role }));
      headers.authorization ??= `Bearer ${tokens.get(role)}`;
    }
    if (options.body !== undefined) headers['content-type'] ??= 'application/json';
    return readAnswer(await fetch(`${api}${path}`, { method, headers, ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}) }));
  }
  return { child, api, ports, exited, output, call };
}

/** Process ids whose command line contains `needle` (the JVM names its -dbPath and -port there). */
export function processesMatching(needle: string): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,args=']).toString();
  return out
    .split('\n')
    .filter((line) => line.includes(needle) && !line.includes('ps -eo'))
    .map((line) => Number(line.trim().split(/\s+/)[0]))
    .filter((pid) => Number.isInteger(pid) && pid !== process.pid);
}

export const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Polls until `check` holds or the timeout passes; returns whether it held. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Kills whatever a test started and left behind (its runtime and, by port, the runtime's JVM). */
export function killStartedProcesses() {
  for (const child of started.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
