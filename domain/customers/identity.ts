import * as z from 'zod';
import { Email, Phone } from './customer.schema.ts';

// Identities: the keys other systems know a person by. Each belongs to at most one customer.

export const IDENTITY_TYPES = ['email', 'phone', 'externalId', 'anonymousId'] as const;
export type IdentityType = (typeof IDENTITY_TYPES)[number];

const Opaque = z.string().trim().min(1).max(128).regex(/^[^\s]+$/, 'must not contain spaces');

export const IdentityInput = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('email'), value: Email }),
    z.strictObject({ type: z.literal('phone'), value: Phone }),
    z.strictObject({ type: z.literal('externalId'), value: Opaque }),
    z.strictObject({ type: z.literal('anonymousId'), value: Opaque }),
  ])
  .meta({ id: 'IdentityInput' });
export type IdentityInput = z.output<typeof IdentityInput>;

export const Identity = z
  .object({ type: z.enum(IDENTITY_TYPES), value: z.string(), customerId: z.string(), linkedAt: z.iso.datetime() })
  .meta({ id: 'Identity' });
export type Identity = z.infer<typeof Identity>;

/** `?identity=type:value` as used by GET /customers. */
export function parseIdentityRef(ref: string): IdentityInput | undefined {
  const colon = ref.indexOf(':');
  if (colon < 1) return undefined;
  const parsed = IdentityInput.safeParse({ type: ref.slice(0, colon), value: ref.slice(colon + 1) });
  return parsed.success ? parsed.data : undefined;
}
