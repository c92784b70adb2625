import { DOCS_ROUTES } from '#infra/routes.ts';
import { httpApp } from '../shared/http-app.ts';
import { getOpenApiHandler } from './get-openapi.handler.ts';
import { openApiDocument } from './openapi.ts';

export function docsHandler() {
  return httpApp(DOCS_ROUTES, { 'GET /openapi.json': getOpenApiHandler }, { document: openApiDocument() });
}
