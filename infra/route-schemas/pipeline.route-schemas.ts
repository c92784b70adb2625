import { PipelineReport } from '#domain/sales/pipeline-report.ts';
import { PipelineStages, PipelineStagesInput } from '#domain/sales/pipeline-stages.ts';
import { PipelineReportQuery } from '#functions/sales/pipeline.http.ts';
import type { PIPELINE_ROUTES } from '../routes.ts';
import type { RouteSchemas } from '../topology.ts';

type OperationId = (typeof PIPELINE_ROUTES)[number]['operationId'];

/** The pipeline routes' request and response schemas (issue 12): configurable stages and the report. */
export const PIPELINE_ROUTE_SCHEMAS: Record<OperationId, RouteSchemas> = {
  getPipelineStages: {
    summary: 'The pipeline: the open stages in order with their default probabilities, then won and lost (always there, final)',
    responses: { 200: { description: 'The pipeline', schema: PipelineStages, etag: true } },
  },
  putPipelineStages: {
    summary: 'Replace the open stages (1 to 20, ids unique, not won or lost); a stage that open opportunities are in cannot disappear',
    body: PipelineStagesInput,
    responses: {
      200: { description: 'The pipeline', schema: PipelineStages, etag: true },
      409: { description: 'Open opportunities are in a stage the new pipeline leaves out (stage-in-use)' },
      412: { description: 'If-Match is stale' },
    },
  },
  pipelineReport: {
    summary: 'Per month of closeDate and currency: count, amount, weighted amount, won, lost, win rate, average days per stage; from counters',
    query: PipelineReportQuery,
    responses: { 200: { description: 'The report', schema: PipelineReport } },
  },
};
