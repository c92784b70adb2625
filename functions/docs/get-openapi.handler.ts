import type { RouteHandler } from '../shared/http-app.ts';
import { json } from '../shared/request.ts';

export interface DocsPorts {
  readonly document: Record<string, unknown>;
}

export const getOpenApiHandler: RouteHandler<DocsPorts> = async (_request, { document }) =>
  json(200, document, { 'cache-control': 'public, max-age=300' });
