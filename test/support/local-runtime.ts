import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { signDevToken } from '../../infra/local/dev-jwt.ts';
import { type LocalRuntimeOptions, startLocalRuntime } from '../../infra/local/runtime.ts';
import type { Role } from '../../infra/topology.ts';
import { openApiResponseValidator } from './openapi-responses.ts';
import { readAnswer } from './child-process.ts';

// Every answer a test gets through `call` is checked against GET /openapi.json: a status, media
// type, body or header the document does not declare fails the test that saw it.
const responses = openApiResponseValidator();

/**
 * The real local runtime (gateway, stream, bus, scheduler) on free ports and a fresh table, in the
 * run's DynamoDB Local; where the project has none (the data-set files), on one of its own.
 */
export async function startTestRuntime(overrides: Partial<LocalRuntimeOptions> = {}) {
  const runtime = await startLocalRuntime({
    port: 0,
    sesPort: 0,
    dynamodbPort: 0,
    dynamodbEndpoint: inject('dynamodbEndpoint'),
    webDir: inject('webDir'),
    tableName: `e2e-${randomUUID()}`,
    ...overrides,
  });
  const tokens = new Map<string, string>();
  /** A token of `role`; `customerId` binds a customer token, `accountId` a partner token. */
  async function token(role: Role, customerId?: string, accountId?: string) {
    const key = `${role}:${customerId ?? ''}:${accountId ?? ''}`;
    if (!tokens.has(key)) tokens.set(key, await signDevToken({ role, ...(customerId ? { customerId } : {}), ...(accountId ? { accountId } : {}) }));
    return tokens.get(key)!;
  }

  async function call(
    method: string,
    path: string,
    options: { role?: Role | null; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
  ) {
    const headers: Record<string, string> = { ...options.headers };
    const role = options.role === undefined ? 'agent' : options.role;
    if (role) headers.authorization ??= `Bearer ${await token(role)}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] ??= 'application/json';
    }
    const answer = await readAnswer(await fetch(`${runtime.url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) }));
    const problems = responses.problems(method, path, answer);
    if (problems.length > 0) throw new Error(`Answer not as GET /openapi.json declares it:\n${problems.join('\n')}`);
    return answer;
  }

  return { runtime, call, token };
}

export type TestRuntime = Awaited<ReturnType<typeof startTestRuntime>>;

/** Polls until `check` returns a value (or throws after the timeout). */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}
