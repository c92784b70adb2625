import { CubeQueryParams } from '#domain/analytics/cube.schema.ts';
import type { CubeEngine } from '#domain/analytics/cube.ports.ts';
import { cubeReports, type CubeReports } from '#domain/analytics/cube.use-cases.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { json, queryParams } from '../shared/request.ts';

// The cube part of the analytics function (issue 13): GET /reports/cube over the engine the
// composition gives it (Athena in the Lambda, DuckDB in the local runtime).

/**
 * How long the analytics function waits for Athena within one request: API Gateway answers 503 at
 * 29 seconds whatever the function does, so past this the route answers 202 with the query's id
 * (the function's timeout, 28 s, leaves room to fetch the results of a query that just finished).
 */
export const CUBE_WAIT_MS = 20_000;

export interface CubePorts {
  readonly cube: CubeReports;
}

export const cubePortsFor = (engine: CubeEngine): CubePorts => ({ cube: cubeReports({ engine }) });

type Handler = RouteHandler<CubePorts>;

const getCube: Handler = async (request, { cube }) => {
  const params = queryParams(request, CubeQueryParams);
  const answer = await cube.query(params);
  if ('rows' in answer) return json(200, answer);
  // Athena is still at it: the same request with the query's id collects it (no second query, no second bill).
  const again = new URLSearchParams({ ...Object.fromEntries(Object.entries(params).filter(([, value]) => value !== undefined)), queryId: answer.queryId });
  return json(202, answer, { location: `/reports/cube?${again.toString()}`, 'retry-after': String(answer.retryAfter) });
};

export const cubeHandlers: Record<string, Handler> = { 'GET /reports/cube': getCube };
