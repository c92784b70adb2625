import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coldStartInputs } from '../../bench/bundle.ts';
import { NO_PAUSE } from '../../domain/shared/ports.ts';
import { toLiveItem, toSlugItem } from '../../functions/knowledge/article.keys.ts';
import { searchIndexerFor } from '../../functions/knowledge/search.part.ts';
import { systemClock, uuidIds } from '../../functions/shared/system.ts';
import { FUNCTIONS } from '../../infra/routes.ts';
import { apiEvent, claimsFor } from '../support/api-gateway.ts';
import { freshTable } from '../support/dynamodb.ts';
import { revision } from '../support/help-fakes.ts';
import { bundleLambda, type LambdaBundle, type LambdaProcess, startLambdaProcess, tableLambdaEnv } from '../support/lambda-bundle.ts';

// The knowledge function as it ships: index.mjs and the chunks esbuild split off. A cold start
// compiles none of an area's code; each area's first request loads its chunks from the bundle's
// directory (the handler tests run the TypeScript, where import() hides nothing).

let table: Awaited<ReturnType<typeof freshTable>>;
let workDir: string;
let bundle: LambdaBundle;
let lambda: LambdaProcess;
const article = revision({ title: 'Reset your password', slug: 'reset-your-password-bundle', html: '<p>Use the reset link we email you.</p>' });

beforeAll(async () => {
  table = await freshTable();
  workDir = mkdtempSync(join(tmpdir(), 'crm-knowledge-bundle-'));
  bundle = await bundleLambda(FUNCTIONS.knowledge.entry, workDir);
  for (const item of [toLiveItem(article), toSlugItem(article.slug, article.articleId)]) await table.client.send(new PutCommand({ TableName: table.tableName, Item: item }));
  await searchIndexerFor({ client: table.client, tableName: table.tableName, clock: systemClock, ids: uuidIds }, NO_PAUSE).rebuild('en');
  lambda = startLambdaProcess(bundle, {
    ...tableLambdaEnv(table),
  });
}, 120_000);
afterAll(async () => {
  lambda?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
  await table?.drop();
});

describe('the knowledge Lambda bundle', () => {
  it('compiles at cold start no handler, use case, adapter or library of an area', () => {
    const eager = coldStartInputs(bundle.metafile);
    expect(eager.filter((input) => /node_modules\/(minisearch|@orama\/stemmers|markdown-it|xss)\//.test(input))).toEqual([]);
    expect(eager.filter((input) => /^(functions\/knowledge\/.*\.(handlers?|dynamodb|dynamodb-store|dynamodb-repository|part)\.ts|domain\/knowledge\/.*\.use-cases\.ts)$/.test(input))).toEqual([]);
    expect(bundle.lazyBytes).toBeGreaterThan(0);
  });

  it('reads an article, then searches, each area loading its chunks on its first request', async () => {
    const read = await lambda.invoke(apiEvent({ routeKey: 'GET /help/articles/{id}', pathParameters: { id: article.slug } }));
    expect(read.statusCode).toBe(200);
    expect(JSON.parse(String(read.body))).toMatchObject({ id: article.articleId, slug: article.slug });

    const search = await lambda.invoke(apiEvent({ routeKey: 'GET /help/articles', query: { q: 'resetting passwords' } }));
    expect(search.statusCode).toBe(200);
    expect(JSON.parse(String(search.body)).items.map((hit: { id: string }) => hit.id)).toEqual([article.articleId]);

    const staff = await lambda.invoke(apiEvent({ routeKey: 'GET /kb/articles', claims: claimsFor(['agent']) }));
    expect(staff.statusCode).toBe(200);
  });
});
