import { AnalyticsJob, ClvModel, CustomerScores, FitInput, JobAccepted } from '#domain/analytics/clv-model.schema.ts';
import type { ANALYTICS_ROUTES } from '../routes.ts';
import type { RouteSchemas } from '../topology.ts';

type OperationId = (typeof ANALYTICS_ROUTES)[number]['operationId'];

/** The analytics routes' request and response schemas (issue 13): the customer value fit, its job, the model, a customer's scores. */
export const ANALYTICS_ROUTE_SCHEMAS: Record<OperationId, RouteSchemas> = {
  fitClvModel: {
    summary: 'Fit BG/NBD and Gamma-Gamma over all purchases up to asOf (default today), asynchronously: a job',
    body: FitInput,
    responses: { 202: { description: 'The job, queued; Location names it', schema: JobAccepted, location: true } },
  },
  getAnalyticsJob: {
    summary: 'An analytics job: queued, running, succeeded (with its counts) or failed (with why); kept 30 days',
    responses: { 200: { description: 'The job', schema: AnalyticsJob } },
  },
  getClvModel: {
    summary: 'The customer value model of the last successful fit',
    responses: { 200: { description: 'The model', schema: ClvModel }, 404: { description: 'No fit yet (model-not-fitted)' } },
  },
  getCustomerScores: {
    summary: "A customer's value scores: P(alive), expected purchases, 12-month CLV, churn risk (refreshed after each purchase and each fit)",
    responses: { 200: { description: 'The scores', schema: CustomerScores }, 404: { description: 'No model fitted yet (model-not-fitted), or no purchase of this customer (not-found)' } },
  },
};
