import type { RouteHandler } from '../shared/http-app.ts';
import { json } from '../shared/request.ts';

export interface DocsPorts {
  /** The OpenAPI document, built on first use (functions/docs/docs.app.ts). */
  readonly document: () => Promise<Record<string, unknown>>;
}

export const getOpenApiHandler: RouteHandler<DocsPorts> = async (_request, { document }) =>
  json(200, await document(), { 'cache-control': 'public, max-age=300' });
