import { DOCS_ROUTES } from '#infra/routes.ts';
import { httpApp } from '../shared/http-app.ts';
import { getOpenApiHandler } from './get-openapi.handler.ts';
import { getUsageHandler, type UsagePorts } from './get-usage.handler.ts';
import { openApiDocument } from './openapi.ts';

export function docsHandler(usage: UsagePorts) {
  return httpApp(DOCS_ROUTES, { 'GET /openapi.json': getOpenApiHandler, 'GET /usage': getUsageHandler }, { document: openApiDocument(), ...usage });
}
