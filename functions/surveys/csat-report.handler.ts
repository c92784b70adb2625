import type { RouteHandler } from '../shared/http-app.ts';
import { json, queryParams } from '../shared/request.ts';
import { type CsatApp, CsatReportQuery } from './csat.http.ts';

/** GET /reports/csat (admin, manager). */
export const csatReportHandler: RouteHandler<CsatApp> = async (request, app) => json(200, await app.csat.report(queryParams(request, CsatReportQuery)));
