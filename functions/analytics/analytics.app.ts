import { ANALYTICS_CLUSTER_ROUTES, ANALYTICS_CUBE_ROUTES, ANALYTICS_ROUTES } from '#infra/routes.ts';
import { JobNotFoundError, type ClvUseCases } from '#domain/analytics/clv-fit.use-cases.ts';
import { FitInput } from '#domain/analytics/clv-model.schema.ts';
import { CustomerNotFoundError } from '#domain/shared/errors.ts';
import { httpApp, type HttpRequest, type RouteHandler } from '../shared/http-app.ts';
import { PathId } from '../shared/query.ts';
import { json, jsonBody } from '../shared/request.ts';
import { cubeHandlers, type CubePorts } from './cube.part.ts';
import { type ClusterPorts, clusterHandlers } from './clusters.part.ts';

// The analytics function's routes (keys: "METHOD /path" of ANALYTICS_ROUTES), and each part's
// (clusters.part.ts: ANALYTICS_CLUSTER_ROUTES), combined as the sales function combines its parts.

export interface AnalyticsApp extends CubePorts, ClusterPorts {
  readonly clv: ClvUseCases;
}
type Handler = RouteHandler<AnalyticsApp>;

/** Every route of the analytics function: each part adds its own list. */
const ANALYTICS_FUNCTION_ROUTES = [...ANALYTICS_ROUTES, ...ANALYTICS_CUBE_ROUTES, ...ANALYTICS_CLUSTER_ROUTES];

const pathId = (request: HttpRequest, notFound: (id: string) => Error) => {
  const id = request.params.id ?? '';
  if (!PathId.safeParse(id).success) throw notFound(id);
  return id;
};

const fitClvModel: Handler = async (request, app) => {
  const job = await app.clv.requestFit(jsonBody(request, FitInput), { correlationId: request.requestId });
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
    },
    app,
  );
}
