import * as z from '#domain/shared/zod.ts';
import { Tag } from '#domain/customers/customer.schema.ts';
import { Cursor, Limit } from '../shared/query.ts';

// Query strings of the account routes (the OpenAPI document and the handlers read the same schemas).

/** `q`: a case-insensitive prefix of the name, or (when it is a hostname such as acme.com) an exact domain. */
export const AccountListQuery = z.onFirstUse(() => z.strictObject({
  q: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(200))),
  tag: z.optional(Tag),
  limit: z.optional(Limit),
  cursor: z.optional(Cursor),
}));

export const AccountPageQuery = z.onFirstUse(() => z.strictObject({ limit: z.optional(Limit), cursor: z.optional(Cursor) }));
