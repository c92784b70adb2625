import * as z from '#domain/shared/zod.ts';
import { NotFoundError } from '#domain/shared/errors.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { DEFAULT_PAGE_SIZE, Limit } from '../shared/query.ts';
import { json, noContent, queryParams } from '../shared/request.ts';
import type { ConsentApp } from './consent.http.ts';

export const SuppressionQuery = z.onFirstUse(() => z.strictObject({
  limit: z.optional(Limit),
  cursor: z.optional(z.string().check(z.minLength(1))),
}));

export const listSuppressionsHandler: RouteHandler<ConsentApp> = async (request, app) => {
  const { limit, cursor } = queryParams(request, SuppressionQuery);
  return json(200, await app.consent.suppressions({ limit: limit ?? DEFAULT_PAGE_SIZE, ...(cursor ? { cursor } : {}) }));
};

export const deleteSuppressionHandler: RouteHandler<ConsentApp> = async (request, app) => {
  const email = request.params.email ?? '';
  if (!z.email().safeParse(email).success) throw new NotFoundError(`${email} is not suppressed.`);
  await app.consent.unsuppress(email);
  return noContent();
};
