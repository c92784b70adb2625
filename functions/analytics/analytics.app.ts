import { ANALYTICS_FUNCTION_ROUTES } from '#infra/routes.ts';
import { JobNotFoundError, type ClvUseCases } from '#domain/analytics/clv-fit.use-cases.ts';
import { FitInput } from '#domain/analytics/clv-model.schema.ts';
import { CustomerNotFoundError } from '#domain/shared/errors.ts';
import { httpApp, type HttpRequest, type RouteHandler } from '../shared/http-app.ts';
import { PathId } from '../shared/query.ts';
import { json, jsonBody } from '../shared/request.ts';
import { cubeHandlers, type CubePorts } from './cube.part.ts';
import { type ClusterPorts, clusterHandlers } from './clusters.part.ts';
import { type ForecastPorts, forecastHandlers } from './forecasts.part.ts';

// The analytics function's routes (keys: "METHOD /path" of ANALYTICS_FUNCTION_ROUTES): the customer
// value routes here, each other part's handlers (cube, clusters, forecasts) from its part file,
// combined as the sales function combines its parts.

export interface AnalyticsApp extends CubePorts, ClusterPorts, ForecastPorts {
  readonly clv: ClvUseCases;
}
type Handler = RouteHandler<AnalyticsApp>;

const pathId = (request: HttpRequest, notFound: (id: string) => Error) => {
  const id = request.params.id ?? '';
  if (!PathId.safeParse(id).success) throw notFound(id);
  return id;
};

const fitClvModel: Handler = async (request, app) => {
  const job = await app.clv.requestFit(jsonBody(request, FitInput), { correlationId: request.correlationId });
  return json(202, { jobId: job.jobId, status: job.status }, { location: `/analytics/jobs/${encodeURIComponent(job.jobId)}` });
};
const getAnalyticsJob: Handler = async (request, app) => json(200, await app.clv.job(pathId(request, (id) => new JobNotFoundError(id))));
const getClvModel: Handler = async (_request, app) => json(200, await app.clv.model());
const getCustomerScores: Handler = async (request, app) => json(200, await app.clv.customerScores(pathId(request, (id) => new CustomerNotFoundError(id))));

export function analyticsHandler(app: AnalyticsApp) {
  return httpApp(
    ANALYTICS_FUNCTION_ROUTES,
    {
      'POST /analytics/models/clv/fit': fitClvModel,
      'GET /analytics/jobs/{id}': getAnalyticsJob,
      'GET /analytics/models/clv': getClvModel,
      'GET /customers/{id}/scores': getCustomerScores,
      ...cubeHandlers,
      ...clusterHandlers,
      ...forecastHandlers,
    },
    app,
  );
}
