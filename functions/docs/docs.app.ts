import { DOCS_ROUTES } from '#infra/route-lists/docs.route-list.ts';
import { httpApp } from '../shared/http-app.ts';
import { lazyRoutes } from '../shared/lazy.ts';
import type { UsagePorts } from './get-usage.handler.ts';

export function docsHandler(usage: UsagePorts) {
  // The document is every route's zod schemas turned into JSON Schema: built on the first GET and
  // kept, not at import (cold start); its module and its handler are a chunk of their own. So is
  // GET /usage's: a cold start compiles neither (issue 14).
  let document: Promise<Record<string, unknown>> | undefined;
  const built = () => (document ??= import('./openapi.ts').then(({ openApiDocument }) => openApiDocument()));
  return httpApp(
    DOCS_ROUTES,
    {
      ...lazyRoutes(['GET /openapi.json'], async () => (await import('./openapi.routes.ts')).openApiRoutes({ document: built })),
      ...lazyRoutes(['GET /usage'], async () => (await import('./usage.routes.ts')).usageRoutes(usage)),
    },
    undefined,
  );
}
