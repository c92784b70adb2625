import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../infra/routes.ts';
import { bundledInputs } from '../../bench/bundle.ts';
import { outputsByLoad } from '#infra/bundling.ts';
import { apiEvent, claimsFor } from '../support/api-gateway.ts';
import { freshTable } from '../support/dynamodb.ts';
import { bundleCode, bundleLambda, type LambdaBundle, type LambdaProcess, startLambdaProcess, tableLambdaEnv } from '../support/lambda-bundle.ts';

// The customers function exactly as it ships (esbuild with infra/bundling.ts: env-only
// credentials swapped in at bundle time, zod/mini, the SDK inside), run by Node 24 with the
// environment Lambda gives it, against the real DynamoDB engine. The handler tests prove the
// logic; this proves the artifact.

let table: Awaited<ReturnType<typeof freshTable>>;
let workDir: string;
let bundle: LambdaBundle;
let lambda: LambdaProcess;
let lambdaEnv: Record<string, string>;
const agent = claimsFor(['agent']);

beforeAll(async () => {
  table = await freshTable();
  workDir = mkdtempSync(join(tmpdir(), 'crm-bundle-'));
  bundle = await bundleLambda(FUNCTIONS.customers.entry, workDir);
  lambdaEnv = tableLambdaEnv(table);
  lambda = startLambdaProcess(bundle, lambdaEnv);
});
afterAll(async () => {
  lambda?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
  await table?.drop();
});

describe('the customers Lambda bundle', () => {
  it('loads process, crypto and fs as CommonJS: no ES import of them is left in index.mjs or any chunk', () => {
    const files = bundleCode(bundle);
    expect(files.map((f) => f.file)).toContain('index.mjs');
    for (const { file, code } of files) {
      expect(code.match(/from\s*"(?:node:)?(?:process|crypto|fs|fs\/promises)"/g), file).toBeNull();
      expect(code.match(/import\(\s*"(?:node:)?(?:process|crypto|fs|fs\/promises)"\s*\)/g), file).toBeNull();
    }
  });

  it('holds neither classic zod nor the SDK default credential chain', () => {
    const inputs = bundledInputs(bundle.metafile);
    expect(inputs.some((input) => input.includes('node_modules/zod/v4/mini/'))).toBe(true);
    expect(inputs.filter((input) => input.includes('node_modules/zod/v4/classic/'))).toEqual([]);
    expect(inputs.filter((input) => input.includes('@aws-sdk/credential-provider-node'))).toEqual([]);
    expect(inputs.some((input) => input.includes('@aws-sdk/credential-provider-env'))).toBe(true);
  });

  it('compiles no zod and no use case at cold start: the routes bring them on first use (issue 14)', () => {
    const coldStart = outputsByLoad(bundle.metafile).eager.flatMap((file) => Object.keys(bundle.metafile.outputs[file]!.inputs));
    expect(coldStart.some((input) => input.includes('@aws-sdk/lib-dynamodb'))).toBe(true);
    expect(coldStart.filter((input) => input.includes('node_modules/zod/'))).toEqual([]);
    expect(coldStart.filter((input) => input.startsWith('domain/customers/') && input.endsWith('.use-cases.ts'))).toEqual([]);
    expect(coldStart.some((input) => input === 'functions/customers/customers.app.ts')).toBe(true);
  });

  it("bundles lib-dynamodb's index as functions/shared/lib-dynamodb-index.mjs: nothing pages, so no paginator and no Scan command", () => {
    const coldStart = outputsByLoad(bundle.metafile).eager.flatMap((file) => Object.entries(bundle.metafile.outputs[file]!.inputs));
    const bytesOf = (pattern: RegExp) => coldStart.filter(([input]) => pattern.test(input)).reduce((sum, [, { bytesInOutput }]) => sum + bytesInOutput, 0);
    expect(coldStart.some(([input]) => input === 'functions/shared/lib-dynamodb-index.mjs')).toBe(true);
    expect(coldStart.filter(([input]) => input.includes('@aws-sdk/lib-dynamodb/dist-es/pagination/'))).toEqual([]);
    // Its module is still linked (the commands' index re-exports it), but none of its code is left.
    expect(bytesOf(/@aws-sdk\/(lib|client)-dynamodb\/dist-es\/commands\/ScanCommand\.js$/)).toBeLessThan(10);
  });

  it('creates, reads and updates a customer against DynamoDB Local, writing the outbox in the same transaction', async () => {
    const email = `bundle-${Date.now()}@example.com`;
    const created = await lambda.invoke(
      apiEvent({ routeKey: 'POST /customers', claims: agent, body: { email, firstName: 'Ada', tags: ['vip'] } }),
    );
    expect(created.statusCode).toBe(201);
    const customer = JSON.parse(String(created.body)) as { id: string; email: string; version: number };
    expect(created.headers?.location).toBe(`/customers/${customer.id}`);
    expect(customer).toMatchObject({ email, version: 1 });

    const read = await lambda.invoke(
      apiEvent({ routeKey: 'GET /customers/{id}', pathParameters: { id: customer.id }, claims: agent }),
    );
    expect(read.statusCode).toBe(200);
    expect(read.headers?.etag).toBe('"1"');
    // attributes: {} is stored as an empty map, which some SDK releases fail to deserialize.
    expect(JSON.parse(String(read.body))).toMatchObject({ id: customer.id, email, firstName: 'Ada', tags: ['vip'], attributes: {} });

    const patched = await lambda.invoke(
      apiEvent({
        routeKey: 'PATCH /customers/{id}',
        pathParameters: { id: customer.id },
        headers: { 'content-type': 'application/merge-patch+json', 'if-match': '"1"' },
        body: { firstName: null, locale: 'en-GB' },
        claims: agent,
      }),
    );
    expect(patched.statusCode).toBe(200);
    expect(JSON.parse(String(patched.body))).toMatchObject({ firstName: null, locale: 'en-GB', version: 2 });

    const outbox = (await table.scanAll()).filter((item) => String(item.pk).startsWith('OUTBOX#'));
    expect(outbox.map((item) => item.detailType).sort()).toEqual(['CustomerCreated', 'CustomerUpdated']);
  });

  it('answers bad input with a 400 problem carrying zod’s English messages, and writes nothing', async () => {
    const before = (await table.scanAll()).length;
    const refused = await lambda.invoke(
      apiEvent({ routeKey: 'POST /customers', claims: agent, body: { email: 'not-an-email', firstName: '', shoeSize: 44 } }),
    );
    expect(refused.statusCode).toBe(400);
    expect(refused.headers?.['content-type']).toBe('application/problem+json');
    expect(JSON.parse(String(refused.body)).errors).toEqual([
      { path: 'email', message: 'must be a valid email address' },
      { path: 'firstName', message: 'must not be empty' },
      { path: 'shoeSize', message: 'is not a known field' },
    ]);
    const badLimit = await lambda.invoke(apiEvent({ routeKey: 'GET /customers', query: { limit: '0' }, claims: agent }));
    expect(badLimit.statusCode).toBe(400);
    expect(JSON.parse(String(badLimit.body)).errors).toEqual([{ path: 'limit', message: 'must be at least 1' }]);
    expect((await table.scanAll()).length).toBe(before);
  });

  it('answers an unknown id with 404 and a marketer write with 403', async () => {
    const missing = await lambda.invoke(
      apiEvent({ routeKey: 'GET /customers/{id}', pathParameters: { id: 'nobody' }, claims: agent }),
    );
    expect(missing.statusCode).toBe(404);
    const forbidden = await lambda.invoke(
      apiEvent({ routeKey: 'POST /customers', claims: claimsFor(['marketer']), body: { email: 'm@example.com' } }),
    );
    expect(forbidden.statusCode).toBe(403);
  });

  it('answers an unexpected failure with a bare 500 and logs a stack trace mapped to the sources', async () => {
    const broken = startLambdaProcess(bundle, { ...lambdaEnv, TABLE_NAME: 'no-such-table' });
    try {
      const answer = await broken.invoke(
        apiEvent({ routeKey: 'GET /customers/{id}', pathParameters: { id: 'someone' }, claims: agent }),
      );
      expect(answer.statusCode).toBe(500);
      expect(answer.body).not.toContain('no-such-table');
      const logs = await broken.logsContaining('unhandled error');
      const logged = JSON.parse(logs.split('\n').find((line) => line.includes('unhandled error'))!) as { error: string; stack: string };
      expect(logged.error).toBe('ResourceNotFoundException');
      const frames = logged.stack.split('\n');
      expect(frames.length).toBeGreaterThan(0);
      // Every frame inside the bundle names the file it was written in, not index.mjs or a chunk.
      expect(frames.filter((frame) => /\.mjs\b/.test(frame))).toEqual([]);
      expect(frames.some((frame) => /node_modules\/@aws-sdk\/[^\s)]+\.js:\d+:\d+/.test(frame))).toBe(true);
      expect(frames.some((frame) => /functions\/customers\/[^\s)]+\.ts:\d+:\d+/.test(frame))).toBe(true);
    } finally {
      broken.stop();
    }
  });
});
