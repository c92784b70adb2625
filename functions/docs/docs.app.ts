import { DOCS_ROUTES } from '#infra/routes.ts';
import { httpApp } from '../shared/http-app.ts';
import { getOpenApiHandler } from './get-openapi.handler.ts';
import { getUsageHandler, type UsagePorts } from './get-usage.handler.ts';

export function docsHandler(usage: UsagePorts) {
  // The document is every route's zod schemas turned into JSON Schema: built on the first GET and
  // kept, not at import (cold start). import() keeps the schemas unevaluated in the one bundle
  // until then (esbuild wraps a module reached only through import() in a lazy initializer).
  let document: Promise<Record<string, unknown>> | undefined;
  const built = () => (document ??= import('./openapi.ts').then(({ openApiDocument }) => openApiDocument()));
  return httpApp(DOCS_ROUTES, { 'GET /openapi.json': getOpenApiHandler, 'GET /usage': getUsageHandler }, { document: built, ...usage });
}
