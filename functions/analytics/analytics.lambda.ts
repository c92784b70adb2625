import { AthenaClient } from '@aws-sdk/client-athena';
import { cubeConfig, tableConfig } from '../shared/config.ts';
import { systemClock, uuidIds } from '../shared/system.ts';
import { createTableClient } from '../shared/table-client.ts';
import { analyticsHandler } from './analytics.app.ts';
import { analyticsConfig } from './analytics.config.ts';
import { clvUseCasesFor } from './analytics.composition.ts';
import { athenaCubeEngine } from './cube-athena.engine.ts';
import { CUBE_WAIT_MS, cubePortsFor } from './cube.part.ts';
import { clusterPortsFor } from './clusters.part.ts';
import { forecastPortsFor } from './forecasts.part.ts';

const infra = { client: createTableClient(), tableName: tableConfig().tableName, clock: systemClock, ids: uuidIds };
export const handler = analyticsHandler({
  clv: clvUseCasesFor(infra, analyticsConfig()),
  ...cubePortsFor(athenaCubeEngine(new AthenaClient({}), { ...cubeConfig(), waitMs: CUBE_WAIT_MS })),
  ...clusterPortsFor(infra),
  ...forecastPortsFor(infra),
});
