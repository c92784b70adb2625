import type { RouteHandler } from '../shared/http-app.ts';
import { json, queryParams } from '../shared/request.ts';
import { type CasesApp, ReportQuery } from './case.http.ts';

export const slaReportHandler: RouteHandler<CasesApp> = async (request, app) => {
  const { from, to, queue } = queryParams(request, ReportQuery);
  return json(200, await app.cases.report(from, to, queue));
};
