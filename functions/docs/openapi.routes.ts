import { bindRoutes } from '../shared/bind-routes.ts';
import { type DocsPorts, getOpenApiHandler } from './get-openapi.handler.ts';

// GET /openapi.json: loaded by its first request; the document itself is built then too (docs.app.ts).

export const openApiRoutes = (ports: DocsPorts) => bindRoutes(ports, { 'GET /openapi.json': getOpenApiHandler });
