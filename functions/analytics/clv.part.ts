import { clvUseCases, JobNotFoundError, type ClvUseCases } from '#domain/analytics/clv-fit.use-cases.ts';
import { FitInput } from '#domain/analytics/clv-model.schema.ts';
import type { WorkerLease } from '#domain/analytics/job-lease.ts';
import { CustomerNotFoundError } from '#domain/shared/errors.ts';
import type { Clock, IdGenerator } from '#domain/shared/ports.ts';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ANALYTICS_JOBS_TIMEOUT_SECONDS } from '#infra/analytics-jobs.ts';
import type { HttpRequest, RouteHandler } from '../shared/http-app.ts';
import { PathId } from '../shared/query.ts';
import { json, jsonBody } from '../shared/request.ts';
import { dynamoJobStore, dynamoModelStore, dynamoPurchaseSource, dynamoScoreStore } from './analytics.dynamodb.ts';
import { dynamoInteractionMix, dynamoSegmentationStore } from './segmentation.dynamodb.ts';

// The customer value part of the analytics function (keys: "METHOD /path" of ANALYTICS_ROUTES):
// fit requests, jobs, the model and customers' scores, and the use cases the analytics functions
// (HTTP, worker, feed) and the local runtime build.

export interface AnalyticsInfra {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/**
 * The analyticsJobs worker's lease (job-lease.ts): its function's timeout, and the deliveries of
 * one event: the first and Lambda's asynchronous-invocation retries (1: ASYNC_INVOKE.analyticsJobs
 * in infra/topology.ts, which this module does not import so as to keep the route schemas out of
 * the bundle; test/infra/crm-async-invoke.test.ts checks the two agree).
 */
export const WORKER_LEASE: WorkerLease = { timeoutSeconds: ANALYTICS_JOBS_TIMEOUT_SECONDS, attempts: 1 + 1 };

/** The customer value use cases as the analytics functions (HTTP, worker, feed) and the local runtime build them. */
export function clvUseCasesFor(infra: AnalyticsInfra, settings: { currency: string }) {
  return clvUseCases({
    purchases: dynamoPurchaseSource(infra),
    models: dynamoModelStore(infra),
    scores: dynamoScoreStore(infra),
    jobs: dynamoJobStore(infra),
    clock: infra.clock,
    ids: infra.ids,
    currency: settings.currency,
    lease: WORKER_LEASE,
    mix: dynamoInteractionMix(infra),
    segmentation: dynamoSegmentationStore(infra),
  });
}

export interface ClvPorts {
  readonly clv: ClvUseCases;
}
type Handler = RouteHandler<ClvPorts>;

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

export const clvHandlers: Record<string, Handler> = {
  'POST /analytics/models/clv/fit': fitClvModel,
  'GET /analytics/jobs/{id}': getAnalyticsJob,
  'GET /analytics/models/clv': getClvModel,
  'GET /customers/{id}/scores': getCustomerScores,
};
