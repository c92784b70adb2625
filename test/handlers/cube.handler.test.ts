import { describe, expect, it } from 'vitest';
import type { CubeEngine, CubeRun, CubeStatement } from '../../domain/analytics/cube.ports.ts';
import { CubeQueryNotFoundError, CubeQueryTooLargeError } from '../../domain/analytics/cube.use-cases.ts';
import { cubeHandlers, cubePortsFor } from '../../functions/analytics/cube.part.ts';
import { httpApp } from '../../functions/shared/http-app.ts';
import { ANALYTICS_CUBE_ROUTES } from '../../infra/routes.ts';
import { apiEvent, claimsFor, lambdaContext } from '../support/api-gateway.ts';
import { openApiResponseValidator } from '../support/openapi-responses.ts';

// GET /reports/cube through the function's HTTP app with an engine that answers what Athena can:
// rows, "still running" (202 with Location and Retry-After to ask again), the cutoff (422), an
// unknown queryId (404). Every answer is checked against the OpenAPI document. DuckDB and Athena
// themselves: cube-duckdb.engine.test.ts, cube-athena.engine.test.ts, test/e2e/reports-cube.

const responses = openApiResponseValidator();
const QUERY_ID = '2f1c9a57-3b7e-4c1a-9d55-0a4f7e1b2c3d';

function app(answer: (statement: CubeStatement, queryId?: string) => Promise<CubeRun>) {
  const runs: { statement: CubeStatement; queryId: string | undefined }[] = [];
  const engine: CubeEngine = {
    name: 'athena',
    run: async (statement, queryId) => {
      runs.push({ statement, queryId });
      return answer(statement, queryId);
    },
  };
  const handler = httpApp(ANALYTICS_CUBE_ROUTES, cubeHandlers, cubePortsFor(engine));
  const get = async (query: Record<string, string>) => {
    const res = (await handler(apiEvent({ routeKey: 'GET /reports/cube', path: '/reports/cube', query, claims: claimsFor(['manager']) }), lambdaContext))!;
    const headers = new Headers(Object.entries(res.headers ?? {}).map(([k, v]) => [k, String(v)]));
    const text = String(res.body ?? '');
    const path = `/reports/cube?${new URLSearchParams(query).toString()}`;
    expect(responses.problems('GET', path, { status: res.statusCode!, headers, text })).toEqual([]);
    return { status: res.statusCode!, headers, json: JSON.parse(text) };
  };
  return { get, runs };
}

const query = { measure: 'cases', by: 'queue', from: '2026-03-01', to: '2026-03-31', filter: 'priority:high' };

describe('GET /reports/cube', () => {
  it('200 with the rows (whatever the case of the column names: Athena lowers them) and the bytes Athena scanned', async () => {
    const { get, runs } = app(async () => ({ state: 'done', rows: [{ queue: 'support', cases: 4, solved: 3, slamet: 3 }], scannedBytes: 2048 }));
    const res = await get(query);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      measure: 'cases',
      by: ['queue'],
      from: '2026-03-01',
      to: '2026-03-31',
      filter: { priority: 'high' },
      rows: [{ queue: 'support', cases: 4, solved: 3, slaMet: 3, slaMetShare: 0.75 }],
      engine: 'athena',
      scannedBytes: 2048,
    });
    expect(runs[0]!.statement.parameters).toEqual(['2026-03-01', '2026-03-31', '2026-03-01', 'high']);
    expect(runs[0]!.statement.sql).not.toContain('high');
  });

  it('202 with the query id, Location (the same query with queryId) and Retry-After while Athena runs; the Location collects it', async () => {
    const { get, runs } = app(async (_statement, queryId) => (queryId ? { state: 'done', rows: [] } : { state: 'running', queryId: QUERY_ID, retryAfterSeconds: 5 }));
    const running = await get(query);
    expect(running.status).toBe(202);
    expect(running.json).toEqual({ status: 'running', queryId: QUERY_ID, engine: 'athena', retryAfter: 5 });
    expect(running.headers.get('retry-after')).toBe('5');
    const location = new URL(running.headers.get('location')!, 'http://x');
    expect(location.pathname).toBe('/reports/cube');
    expect(Object.fromEntries(location.searchParams)).toEqual({ ...query, queryId: QUERY_ID });
    const collected = await get(Object.fromEntries(location.searchParams));
    expect(collected.status).toBe(200);
    expect(runs.map((r) => r.queryId)).toEqual([undefined, QUERY_ID]);
  });

  it('422 cube-query-too-large at the cutoff; 404 for a queryId that is not this query; 400 for a malformed queryId before any engine call', async () => {
    const tooLarge = await app(async () => Promise.reject(new CubeQueryTooLargeError())).get(query);
    expect(tooLarge.status).toBe(422);
    expect(tooLarge.json.type).toBe('urn:ecrm:problem:cube-query-too-large');
    const unknown = await app(async () => Promise.reject(new CubeQueryNotFoundError())).get({ ...query, queryId: QUERY_ID });
    expect(unknown.status).toBe(404);
    const { get, runs } = app(async () => ({ state: 'done', rows: [] }));
    expect((await get({ ...query, queryId: "x'; DROP TABLE cases" })).status).toBe(400);
    expect((await get({ ...query, measure: 'everything' })).status).toBe(400);
    expect(runs).toEqual([]);
  });
});
