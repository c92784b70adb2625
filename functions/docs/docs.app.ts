import { httpApp } from '../shared/http-app.ts';
import { getOpenApiHandler } from './get-openapi.handler.ts';
import { openApiDocument } from './openapi.ts';

export function docsHandler() {
  return httpApp('docs', { 'GET /openapi.json': getOpenApiHandler }, { document: openApiDocument() });
}
