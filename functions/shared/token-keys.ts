import * as z from '#domain/shared/zod.ts';

// The keys that sign and check link tokens (hmac-tokens.ts), behind one port: on AWS an SSM
// SecureString parameter (ssm-token-keys.ts), locally the environment or the data directory.
// The signer reads them on the first token it signs or checks (tokenSigner), not at cold start;
// on AWS through ssmTokenKeysOnFirstUse (ssm-token-keys-on-first-use.ts).
//
// Rotation: a new key is appended and signs from then on; older keys keep verifying the tokens
// they signed until their `retireAt` (set it no earlier than the longest lifetime of a token they
// signed: unsubscribe links never expire, so keep their key as long as those mails may be clicked).

const KeyId = z.onFirstUse(() => z.string().check(z.regex(/^[A-Za-z0-9_-]{1,32}$/)));
const Secret = z.onFirstUse(() => z.string().check(z.minLength(32), z.maxLength(512)));
const TokenKeySchema = z.onFirstUse(() => z.strictObject({
  kid: KeyId,
  secret: Secret,
  /** Epoch seconds: from then on the key verifies nothing (its tokens' lifetime is over). */
  retireAt: z.optional(z.int()),
}));
const TokenKeyRingSchema = z.onFirstUse(() => z.strictObject({
  /** Oldest first; the last one signs. */
  keys: z.array(TokenKeySchema).check(z.minLength(1), z.maxLength(16)),
  /** The key of tokens signed before key ids existed (no kid): it verifies only, never signs. */
  legacy: z.optional(z.strictObject({ secret: Secret, retireAt: z.optional(z.int()) })),
}));

export type TokenKey = z.infer<typeof TokenKeySchema>;
export type TokenKeyRing = z.infer<typeof TokenKeyRingSchema>;

/** Port: where the token keys come from (read once per container, by the first token used). */
export interface TokenKeys {
  load(): Promise<TokenKeyRing>;
}

/** The stored form (the SSM parameter's value): JSON, validated; a bad value fails the cold start. */
export function parseTokenKeyRing(json: string): TokenKeyRing {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Error('token keys: the stored value is not JSON');
  }
  const result = TokenKeyRingSchema.safeParse(parsed);
  // The message names the fields only: never the secrets.
  if (!result.success) throw new Error(`token keys: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const kids = result.data.keys.map((k) => k.kid);
  if (new Set(kids).size !== kids.length) throw new Error('token keys: two keys share a kid');
  return result.data;
}

/** A ring of one fresh key: what the stack stores on create, and what rotation starts from. */
export function tokenKeyRing(secret: string, kid: string): TokenKeyRing {
  return parseTokenKeyRing(JSON.stringify({ keys: [{ kid, secret }] }));
}

/**
 * Rotation: `secret` under a new kid signs from now on; every key before it (and the legacy
 * key) stops verifying at `retireAt` unless it already retires earlier.
 */
export function rotateTokenKeys(ring: TokenKeyRing, next: { kid: string; secret: string }, retireAt: number): TokenKeyRing {
  const until = (current: number | undefined) => Math.min(current ?? retireAt, retireAt);
  return parseTokenKeyRing(
    JSON.stringify({
      keys: [...ring.keys.map((k) => ({ ...k, retireAt: until(k.retireAt) })), next],
      ...(ring.legacy ? { legacy: { ...ring.legacy, retireAt: until(ring.legacy.retireAt) } } : {}),
    }),
  );
}

/**
 * The local runtime's keys: one secret (TOKEN_SECRET, or the data directory's), signing under
 * kid `local`, and verifying kid-less tokens too (as signed before key ids, and by tests).
 */
export function localTokenKeys(secret: string): TokenKeys {
  const ring = parseTokenKeyRing(JSON.stringify({ keys: [{ kid: 'local', secret }], legacy: { secret } }));
  return { load: async () => ring };
}
