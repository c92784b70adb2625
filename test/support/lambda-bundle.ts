import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2WithJWTAuthorizer, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type Bundle, bundleFunction } from '../../bench/bundle.ts';
import { LOCAL_AWS } from '../../infra/local/dynamodb-local.ts';

// A Lambda function as it ships: bundled by the esbuild call CrmFunction makes, index.mjs loaded
// from the bundle's directory (its chunks/ beside it, imported as the function needs them) by
// Node 24 in its own process with only the environment Lambda would give it, and invoked one
// event at a time over stdin/stdout (a Lambda runtime in miniature). The function logs to stdout
// too (its metrics lines), so the answer is the line that starts with ANSWER.

const ROOT = resolve(import.meta.dirname, '../..');

export type { Bundle as LambdaBundle } from '../../bench/bundle.ts';

/** The function's entry bundled exactly as the benchmarks and CrmFunction bundle it. */
export const bundleLambda = (entry: string, outDir: string) => bundleFunction(ROOT, entry, outDir);

/** Each code file of the bundle (index.mjs and every chunk, lazy ones too) with its text. */
export const bundleCode = (bundle: Bundle): { file: string; code: string }[] =>
  bundle.files.filter((file) => file.endsWith('.mjs')).map((file) => ({ file, code: readFileSync(join(bundle.dir, file), 'utf8') }));

/**
 * What Lambda puts in the environment of a function with an execution role (region, the role's
 * credentials), pointed at a DynamoDB Local table: the environment a bundle's table client needs.
 */
export function tableLambdaEnv(table: { readonly tableName: string; readonly endpoint: string }): Record<string, string> {
  return {
    TABLE_NAME: table.tableName,
    AWS_REGION: LOCAL_AWS.region,
    AWS_ACCESS_KEY_ID: LOCAL_AWS.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_AWS.credentials.secretAccessKey,
    AWS_SESSION_TOKEN: 'local-session',
    AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
  };
}

export interface LambdaProcess {
  invoke(event: APIGatewayProxyEventV2WithJWTAuthorizer): Promise<APIGatewayProxyStructuredResultV2>;
  /** Resolves with everything written to stderr once it holds `text` (the function's logs). */
  logsContaining(text: string): Promise<string>;
  stop(): void;
}

const ANSWER = '\u0000answer ';

// The same Lambda context the handler tests use (Node 24 strips the types of that module).
const RUNTIME = `
import { createInterface } from 'node:readline';
const { lambdaContext } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'test/support/api-gateway.ts')).href)});
const { handler } = await import(process.env.CRM_TEST_BUNDLE_URL);
for await (const line of createInterface({ input: process.stdin })) {
  const result = await handler(JSON.parse(line), lambdaContext);
  process.stdout.write(${JSON.stringify(ANSWER)} + JSON.stringify(result) + '\\n');
}
`;

/** Starts the bundle in a Node 24 process; `env` is all it gets (as on Lambda: nothing from this shell). */
export function startLambdaProcess(bundle: Bundle, env: Record<string, string>): LambdaProcess {
  const child: ChildProcessWithoutNullStreams = spawn(join(ROOT, 'node_modules/.bin/node'), ['--input-type=module', '-e', RUNTIME], {
    env: { ...env, CRM_TEST_BUNDLE_URL: pathToFileURL(bundle.path).href },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  return {
    async invoke(event) {
      child.stdin.write(`${JSON.stringify(event)}\n`);
      for (;;) {
        const next = await lines.next();
        if (next.done) throw new Error(`the Lambda process ended without answering:\n${stderr}`);
        if (next.value.startsWith(ANSWER)) return JSON.parse(next.value.slice(ANSWER.length)) as APIGatewayProxyStructuredResultV2;
      }
    },
    async logsContaining(text) {
      // stdout and stderr are separate pipes: the log line may arrive just after the answer.
      for (const deadline = Date.now() + 5_000; !stderr.includes(text); ) {
        if (Date.now() > deadline) throw new Error(`no log line contains ${JSON.stringify(text)}; stderr:\n${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return stderr;
    },
    stop() {
      child.kill();
    },
  };
}
