import { cubeConfig, tableConfig } from '../shared/config.ts';
import { lazyPort } from '../shared/lazy.ts';
import { systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { analyticsHandler } from './analytics.app.ts';
import { analyticsConfig } from './analytics.config.ts';

// Composition root. The configuration is validated at cold start; each part's use cases and
// adapters are built on their first call, from a chunk of their own: the Athena client loads with
// the first cube query, the models' maths (ml-matrix) with the first customer value or clusters request.
const infra = { client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock, ids: uuidIds };
const settings = analyticsConfig();
const warehouse = cubeConfig();

export const handler = analyticsHandler({
  clv: lazyPort(async () => (await import('./clv.part.ts')).clvUseCasesFor(infra, settings)),
  cube: lazyPort(async () => {
    const [{ AthenaClient }, { athenaCubeEngine }, { CUBE_WAIT_MS, cubePortsFor }] = await Promise.all([
      import('@aws-sdk/client-athena'),
      import('./cube-athena.engine.ts'),
      import('./cube.part.ts'),
    ]);
    return cubePortsFor(athenaCubeEngine(new AthenaClient({}), { ...warehouse, waitMs: CUBE_WAIT_MS })).cube;
  }),
  clusters: lazyPort(async () => (await import('./clusters.part.ts')).clusterPortsFor(infra).clusters),
  forecasts: lazyPort(async () => (await import('./forecasts.part.ts')).forecastPortsFor(infra).forecasts),
});
