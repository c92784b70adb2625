import * as z from '#domain/shared/zod.ts';
import { type Customer, READ_ONLY_FIELDS } from '#domain/customers/customer.schema.ts';
import type { Me } from '#domain/customers/me.schema.ts';
import type { ApiResult } from '../shared/http-app.ts';
import { Cursor, Limit } from '../shared/query.ts';
import { etag, json } from '../shared/request.ts';

/** GET /erasure-requests: pending first-come first-served (soonest run first). */
export const ErasureRequestQuery = z.onFirstUse(() => z.strictObject({ limit: z.optional(Limit), cursor: z.optional(Cursor) }));

// Self-service (/me): what the token's customer reads about themselves.

/** The profile as its owner sees it: Me's fields only (no tags, attributes, stats or merge data). */
export function toMe(customer: Customer): Me {
  const { id, email, firstName, lastName, phone, locale, timezone, createdAt, updatedAt, version } = customer;
  return { id, email, firstName, lastName, phone, locale, timezone, createdAt, updatedAt, version };
}

export const meResponse = (customer: Customer): ApiResult => json(200, toMe(customer), { etag: etag(customer.version) });

/** Fields of the staff profile a person may not change about themselves: named in the 400 (email changes go through support). */
export const NOT_SELF_SERVICE_FIELDS = [...READ_ONLY_FIELDS, 'email', 'tags', 'attributes', 'stats', 'mergedInto'] as const;
