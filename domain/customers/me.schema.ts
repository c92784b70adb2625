import * as z from '#domain/shared/zod.ts';
import { CustomerPatch } from './customer.schema.ts';

// Self-service (issue 11): what a person reads and may change about themselves through /me.

/** GET /me: the profile as its owner sees it (no staff tags, attributes or internal fields). */
export const Me = z.onFirstUse(() => z
  .object({
    id: z.string(),
    email: z.string(),
    firstName: z.nullable(z.string()),
    lastName: z.nullable(z.string()),
    phone: z.nullable(z.string()),
    locale: z.nullable(z.string()),
    timezone: z.nullable(z.string()),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    version: z.int().check(z.positive()),
  })
  .register(z.globalRegistry, { id: 'Me' }));
export type Me = z.infer<typeof Me>;

/** PATCH /me (JSON merge patch): names, phone, locale, timezone only; any other field is a 400 naming it. */
export const MePatch = z.onFirstUse(() => z
  .strictObject({
    firstName: CustomerPatch.shape.firstName,
    lastName: CustomerPatch.shape.lastName,
    phone: CustomerPatch.shape.phone,
    locale: CustomerPatch.shape.locale,
    timezone: CustomerPatch.shape.timezone,
  })
  .register(z.globalRegistry, { id: 'MePatch' }));
export type MePatch = z.output<typeof MePatch>;

export const ERASURE_REQUEST_STATUSES = ['pending', 'cancelled', 'done'] as const;

/** A person's own erasure request (DELETE /me): the full erasure runs at runAt unless cancelled first. */
export const ErasureRequest = z.onFirstUse(() => z
  .object({
    customerId: z.string(),
    status: z.enum(ERASURE_REQUEST_STATUSES),
    requestedAt: z.iso.datetime(),
    runAt: z.iso.datetime(),
    cancelledAt: z.nullable(z.iso.datetime()),
  })
  .register(z.globalRegistry, { id: 'ErasureRequest' }));
export type ErasureRequest = z.infer<typeof ErasureRequest>;
