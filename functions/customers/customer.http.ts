import { z } from 'zod';
import { Email, Tag } from '#domain/customers/customer.schema.ts';
import type { Customer } from '#domain/customers/customer.schema.ts';
import { etag, json } from '../shared/request.ts';
import type { ApiResult } from '../shared/http-app.ts';

export const CustomerListQuery = z
  .strictObject({
    limit: z
      .string()
      .regex(/^\d{1,3}$/, 'must be a whole number from 1 to 100')
      .transform(Number)
      .pipe(z.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100'))
      .optional(),
    cursor: z.string().min(1).optional(),
    email: Email.optional(),
    tag: Tag.optional(),
  })
  .refine((q) => q.email === undefined || (q.tag === undefined && q.cursor === undefined), {
    message: 'email is an exact lookup; combine it with neither tag nor cursor',
    path: ['email'],
  });

export const DEFAULT_PAGE_SIZE = 25;

/** A single customer as the API returns it: body plus ETag (and Location when created). */
export function customerResponse(status: 200 | 201, customer: Customer): ApiResult {
  return json(status, customer, {
    etag: etag(customer.version),
    ...(status === 201 ? { location: `/customers/${encodeURIComponent(customer.id)}` } : {}),
  });
}

/** Path ids are opaque; anything that cannot be an id we issued is simply not found. */
export const CustomerId = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/);
