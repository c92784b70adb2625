import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Metafile } from 'esbuild';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUNCTIONS, SCHEDULE_TARGETS } from '../../infra/routes.ts';
import { outputsByLoad } from '#infra/bundling.ts';
import { apiEvent, claimsFor } from '../support/api-gateway.ts';
import { freshTable } from '../support/dynamodb.ts';
import { bundleLambda, type LambdaBundle, type LambdaProcess, startLambdaProcess, tableLambdaEnv } from '../support/lambda-bundle.ts';

// The sales function as it ships: its areas' code and the Scheduler client sit in chunks that
// only import() reaches, so the cold start compiles none of them. Tests elsewhere run the
// TypeScript, where import() just loads a module; this proves the chunks of the real bundle load
// and serve each area's first request (against DynamoDB Local, and a stand-in Scheduler endpoint
// that records the calls).

let table: Awaited<ReturnType<typeof freshTable>>;
let workDir: string;
let bundle: LambdaBundle;
let lambda: LambdaProcess;
let scheduler: Server;
const schedulerCalls: string[] = [];
const agent = claimsFor(['agent']);
const arn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;

beforeAll(async () => {
  table = await freshTable();
  workDir = mkdtempSync(join(tmpdir(), 'crm-sales-bundle-'));
  bundle = await bundleLambda(FUNCTIONS.sales.entry, workDir);
  scheduler = createServer((req, res) => {
    schedulerCalls.push(`${req.method} ${decodeURIComponent(req.url ?? '').split('?')[0]}`);
    req.resume().on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ScheduleArn: arn('schedule') })));
  });
  await new Promise<void>((resolve) => scheduler.listen(0, '127.0.0.1', resolve));
  lambda = startLambdaProcess(bundle, {
    ...tableLambdaEnv(table),
    AWS_ENDPOINT_URL_SCHEDULER: `http://127.0.0.1:${(scheduler.address() as AddressInfo).port}`,
    SCHEDULE_GROUP: 'crm-schedules',
    SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/scheduler',
    SCHEDULE_DEAD_LETTER_ARN: 'arn:aws:sqs:us-east-1:123456789012:dlq',
    SCHEDULE_TARGET_ARNS: JSON.stringify(Object.fromEntries(SCHEDULE_TARGETS.map((name) => [name, arn(name)]))),
  });
});
afterAll(async () => {
  lambda?.stop();
  await new Promise((resolve) => (scheduler ? scheduler.close(resolve) : resolve(undefined)));
  if (workDir) rmSync(workDir, { recursive: true, force: true });
  await table?.drop();
});

const inputsOf = (files: readonly string[]) => files.flatMap((file) => Object.keys(bundle.metafile.outputs[file]!.inputs));

describe('the sales Lambda bundle', () => {
  it('compiles no area, no Scheduler client and no other context at cold start: they are in chunks only import() reaches', () => {
    const { eager, lazy } = outputsByLoad(bundle.metafile);
    const coldStart = inputsOf(eager);
    // Of sales, only the routing and the partner gate (whose adapter is lazy too).
    expect(coldStart.filter((input) => /^(functions|domain)\/sales\//.test(input)).sort()).toEqual([
      'domain/sales/partner-scope.ts',
      'functions/sales/partner.part.ts',
      'functions/sales/sales-viewer.ts',
      'functions/sales/sales.app.ts',
      'functions/sales/sales.lambda.ts',
    ]);
    expect(coldStart.filter((input) => /client-scheduler|functions\/(consent|customers|campaigns|cases)\//.test(input))).toEqual([]);
    const later = inputsOf(lazy);
    for (const area of ['account', 'product', 'lead', 'opportunity', 'pipeline', 'activity']) expect(later).toContain(`functions/sales/${area}.part.ts`);
    expect(later.some((input) => input.includes('@aws-sdk/client-scheduler'))).toBe(true);
  });

  it("serves each area's first request from its chunk", async () => {
    const account = await lambda.invoke(apiEvent({ routeKey: 'POST /accounts', claims: agent, body: { name: 'Bundle Ltd', type: 'customer' } }));
    expect(account.statusCode).toBe(201);
    const accountId = (JSON.parse(String(account.body)) as { id: string }).id;
    expect((await lambda.invoke(apiEvent({ routeKey: 'GET /accounts/{id}', pathParameters: { id: accountId }, claims: agent }))).statusCode).toBe(200);
    expect((await lambda.invoke(apiEvent({ routeKey: 'GET /products', claims: agent }))).statusCode).toBe(200);
    expect((await lambda.invoke(apiEvent({ routeKey: 'GET /accounts/{id}/recommendations', pathParameters: { id: accountId }, claims: agent }))).statusCode).toBe(200);
    expect((await lambda.invoke(apiEvent({ routeKey: 'GET /leads', claims: agent }))).statusCode).toBe(200);
    expect((await lambda.invoke(apiEvent({ routeKey: 'GET /opportunities', claims: agent }))).statusCode).toBe(200);
    expect((await lambda.invoke(apiEvent({ routeKey: 'GET /pipeline/stages', claims: agent }))).statusCode).toBe(200);
  });

  it('loads the capture\'s customers and consent ports on the first capture', async () => {
    const captured = await lambda.invoke(apiEvent({ routeKey: 'POST /leads/capture', body: { email: `bundle-${Date.now()}@example.com`, source: 'web', consents: ['no-such-topic'] } }));
    expect(captured.statusCode).toBe(202);
    // A ticked box makes the capture create the customer (the customers context's use case, loaded now).
    expect((await table.scanAll()).some((item) => String(item.pk).startsWith('CUSTOMER#'))).toBe(true);
  });

  it("builds the Scheduler client on the first activity that is due, and the partner gate's adapter on the first partner request", async () => {
    expect(schedulerCalls).toEqual([]);
    const created = await lambda.invoke(apiEvent({ routeKey: 'POST /activities', claims: agent, body: { type: 'call', subject: 'Call back', ownerId: 'rep-1', dueAt: '2099-01-01T09:00:00.000Z' } }));
    expect(created.statusCode).toBe(201);
    expect(schedulerCalls).toHaveLength(1);
    expect(schedulerCalls[0]).toMatch(/^POST \/schedules\/.+/);

    const partner = claimsFor(['partner'], { accountId: 'no-such-partner' });
    expect((await lambda.invoke(apiEvent({ routeKey: 'GET /leads', claims: partner }))).statusCode).toBe(403);
  });
});

describe('outputsByLoad', () => {
  it('takes the entry for the output no import() reaches, though esbuild marks the import() chunks entry points too and may list one first', () => {
    const output = (entryPoint: string | undefined, imports: Metafile['outputs'][string]['imports']) => ({ bytes: 1, inputs: {}, imports, exports: [], ...(entryPoint ? { entryPoint } : {}) });
    const metafile: Metafile = {
      inputs: {},
      outputs: {
        'out/chunks/area.part-A.mjs': output('functions/area.part.ts', [{ path: 'out/chunks/chunk-S.mjs', kind: 'import-statement' }]),
        'out/index.mjs': output('functions/entry.lambda.ts', [
          { path: 'out/chunks/chunk-E.mjs', kind: 'import-statement' },
          { path: 'out/chunks/area.part-A.mjs', kind: 'dynamic-import' },
        ]),
        'out/chunks/chunk-E.mjs': output(undefined, []),
        'out/chunks/chunk-S.mjs': output(undefined, []),
      },
    };
    expect(outputsByLoad(metafile)).toEqual({ eager: ['out/index.mjs', 'out/chunks/chunk-E.mjs'], lazy: ['out/chunks/area.part-A.mjs', 'out/chunks/chunk-S.mjs'] });
  });
});
