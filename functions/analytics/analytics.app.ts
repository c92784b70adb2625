import { routeKey } from '#infra/route-access.ts';
import { ANALYTICS_CLUSTER_ROUTES, ANALYTICS_CUBE_ROUTES, ANALYTICS_FORECAST_ROUTES, ANALYTICS_FUNCTION_ROUTES, ANALYTICS_ROUTES } from '#infra/route-lists/analytics.route-list.ts';
import { httpApp } from '../shared/http-app.ts';
import { lazyRoutes } from '../shared/lazy.ts';
import type { ClvPorts } from './clv.part.ts';
import type { CubePorts } from './cube.part.ts';
import type { ClusterPorts } from './clusters.part.ts';
import type { ForecastPorts } from './forecasts.part.ts';

// The analytics function's routes by part (keys: "METHOD /path" of each part's route list): the
// customer value routes (clv.part.ts), the cube, the clusters and the forecasts. A part's handlers
// load on the first request to one of its routes, its use cases and adapters (the models' maths,
// k-means and ml-matrix, the Athena client) on their first call (the ports the composition gives).

export interface AnalyticsApp extends ClvPorts, CubePorts, ClusterPorts, ForecastPorts {}

export function analyticsHandler(app: AnalyticsApp) {
  return httpApp<AnalyticsApp>(
    ANALYTICS_FUNCTION_ROUTES,
    {
      ...lazyRoutes(ANALYTICS_ROUTES.map(routeKey), async () => (await import('./clv.part.ts')).clvHandlers),
      ...lazyRoutes(ANALYTICS_CUBE_ROUTES.map(routeKey), async () => (await import('./cube.part.ts')).cubeHandlers),
      ...lazyRoutes(ANALYTICS_CLUSTER_ROUTES.map(routeKey), async () => (await import('./clusters.part.ts')).clusterHandlers),
      ...lazyRoutes(ANALYTICS_FORECAST_ROUTES.map(routeKey), async () => (await import('./forecasts.part.ts')).forecastHandlers),
    },
    app,
  );
}
