import * as z from '#domain/shared/zod.ts';
import { Email, Phone } from './customer.schema.ts';

// Identities: the keys other systems know a person by. Each belongs to at most one customer.

export const IDENTITY_TYPES = ['email', 'phone', 'externalId', 'anonymousId'] as const;
export type IdentityType = (typeof IDENTITY_TYPES)[number];

const Opaque = z.onFirstUse(() => z.string().check(z.trim(), z.minLength(1), z.maxLength(128), z.regex(/^[^\s]+$/, 'must not contain spaces')));

export const IdentityInput = z.onFirstUse(() => z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('email'), value: Email }),
    z.strictObject({ type: z.literal('phone'), value: Phone }),
    z.strictObject({ type: z.literal('externalId'), value: Opaque }),
    z.strictObject({ type: z.literal('anonymousId'), value: Opaque }),
  ])
  .register(z.globalRegistry, { id: 'IdentityInput' }));
export type IdentityInput = z.output<typeof IdentityInput>;

export const Identity = z.onFirstUse(() => z
  .object({ type: z.enum(IDENTITY_TYPES), value: z.string(), customerId: z.string(), linkedAt: z.iso.datetime() })
  .register(z.globalRegistry, { id: 'Identity' }));
export type Identity = z.infer<typeof Identity>;

/** `?identity=type:value` as used by GET /customers. */
export function parseIdentityRef(ref: string): IdentityInput | undefined {
  const colon = ref.indexOf(':');
  if (colon < 1) return undefined;
  const parsed = IdentityInput.safeParse({ type: ref.slice(0, colon), value: ref.slice(colon + 1) });
  return parsed.success ? parsed.data : undefined;
}
