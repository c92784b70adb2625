import { type PipelineUseCases, pipelineUseCases } from '#domain/sales/pipeline.use-cases.ts';
import { PipelineStagesInput, type PipelineStages, READ_ONLY_PIPELINE_FIELDS } from '#domain/sales/pipeline-stages.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { etag, ifMatchVersion, json, jsonBody, queryParams } from '../shared/request.ts';
import { dynamoPipelineRepository } from './pipeline.dynamodb-repository.ts';
import { PipelineReportQuery } from './pipeline.http.ts';
import type { SalesInfra } from './sales.infra.ts';

// The pipeline part of the sales function (issue 12): the stage configuration and the pipeline
// report (keys: "METHOD /path" of PIPELINE_ROUTES). The counters it reads are written with every
// opportunity (pipeline-counters.ts).

export interface PipelinePorts {
  readonly pipeline: PipelineUseCases;
}

export const pipelinePortsFor = (infra: SalesInfra): PipelinePorts => ({
  pipeline: pipelineUseCases({ pipeline: dynamoPipelineRepository(infra), clock: infra.clock }),
});

type Handler = RouteHandler<PipelinePorts>;

const stagesResponse = (p: PipelineStages) => json(200, p, { etag: etag(p.version) });

const getStages: Handler = async (_request, app) => stagesResponse(await app.pipeline.stages());

const putStages: Handler = async (request, app) => {
  const ifMatch = ifMatchVersion(request);
  return stagesResponse(await app.pipeline.putStages(jsonBody(request, PipelineStagesInput, READ_ONLY_PIPELINE_FIELDS), ifMatch));
};

const pipelineReport: Handler = async (request, app) => json(200, await app.pipeline.report(queryParams(request, PipelineReportQuery)));

export const pipelineHandlers: Record<string, Handler> = {
  'GET /pipeline/stages': getStages,
  'PUT /pipeline/stages': putStages,
  'GET /reports/pipeline': pipelineReport,
};
