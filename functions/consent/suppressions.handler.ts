import * as z from 'zod';
import { NotFoundError } from '#domain/shared/errors.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { json, noContent, queryParams } from '../shared/request.ts';
import type { ConsentApp } from './consent.http.ts';

export const SuppressionQuery = z.strictObject({
  limit: z.string().regex(/^\d{1,3}$/, 'must be a whole number from 1 to 100').transform(Number).pipe(z.number().int().min(1).max(100)).optional(),
  cursor: z.string().min(1).optional(),
});

export const listSuppressionsHandler: RouteHandler<ConsentApp> = async (request, app) => {
  const { limit, cursor } = queryParams(request, SuppressionQuery);
  return json(200, await app.consent.suppressions({ limit: limit ?? 25, ...(cursor ? { cursor } : {}) }));
};

export const deleteSuppressionHandler: RouteHandler<ConsentApp> = async (request, app) => {
  const email = request.params.email ?? '';
  if (!z.email().safeParse(email).success) throw new NotFoundError(`${email} is not suppressed.`);
  await app.consent.unsuppress(email);
  return noContent();
};
