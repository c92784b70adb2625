import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coldStartEnv } from '../../bench/cold-start.ts';
import { type FakeSsm, startFakeSsm } from '../../bench/fake-ssm.ts';
import { hmacTokens } from '../../functions/shared/hmac-tokens.ts';
import { parseTokenKeyRing } from '../../functions/shared/token-keys.ts';
import { LOCAL_AWS } from '../../infra/local/dynamodb-local.ts';
import { FUNCTIONS } from '../../infra/routes.ts';
import { apiEvent, claimsFor } from '../support/api-gateway.ts';
import { freshTable } from '../support/dynamodb.ts';
import { bundleLambda, type LambdaProcess, startLambdaProcess } from '../support/lambda-bundle.ts';

// The consent function as it ships (split bundle: routes by area and the SSM client in chunks
// loaded by import()), run by Node 24 against DynamoDB Local and a local SSM answer: its cold
// start reads no key, its first link token reads the ring once, and the areas load on demand.

let table: Awaited<ReturnType<typeof freshTable>>;
let ssm: FakeSsm;
let workDir: string;
let lambda: LambdaProcess;

beforeAll(async () => {
  [table, ssm] = await Promise.all([freshTable(), startFakeSsm()]);
  workDir = mkdtempSync(join(tmpdir(), 'crm-token-bundle-'));
  const bundle = await bundleLambda(FUNCTIONS.consent.entry, workDir);
  lambda = startLambdaProcess(bundle, {
    ...coldStartEnv(FUNCTIONS.consent.access, ssm.env),
    TABLE_NAME: table.tableName,
    AWS_REGION: LOCAL_AWS.region,
    AWS_ENDPOINT_URL_DYNAMODB: table.endpoint,
  });
});
afterAll(async () => {
  lambda?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
  await Promise.all([table?.drop(), ssm?.close()]);
});

describe('the consent Lambda bundle', () => {
  it('serves an area without reading the token keys, then reads them once for the first link and never again', async () => {
    const topics = [{ id: 'newsletter', name: 'Newsletter', purpose: 'marketing' }];
    const put = await lambda.invoke(apiEvent({ routeKey: 'PUT /topics', claims: claimsFor(['admin']), body: topics }));
    expect(put.statusCode).toBe(200);
    expect(ssm.reads()).toBe(0);

    // A link signed with the stored ring opens its page; a forged one is 400.
    const token = hmacTokens(parseTokenKeyRing(ssm.ring)).sign({ purpose: 'unsubscribe', customerId: 'c-nobody', topic: 'newsletter', id: 'u-1' });
    const page = (t: string) => lambda.invoke(apiEvent({ routeKey: 'GET /unsubscribe', query: { token: t } }));
    expect((await page(token)).statusCode).toBe(200);
    expect((await page(`${token.slice(0, -2)}xx`)).statusCode).toBe(400);
    expect((await page(token)).statusCode).toBe(200);
    expect(ssm.reads()).toBe(1);
  });
});
