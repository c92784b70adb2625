import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from '#domain/shared/zod.ts';
import type { TokenPayload, TokenSigner } from '#domain/consent/tokens.ts';
import { once } from './lazy.ts';
import type { TokenKeyRing, TokenKeys } from './token-keys.ts';

// Link tokens: kid + "." + base64url(JSON payload) + "." + base64url(HMAC-SHA256 of kid.payload),
// signed with the newest key of the ring (token-keys.ts), checked with the key the kid names.
// Tokens signed before key ids existed are payload + "." + HMAC, checked with the legacy key.
// The keys come from configuration (SSM on AWS), never from the code. `hmacTokens` signs with a
// ring in hand; `tokenSigner` is the TokenSigner port the use cases hold, which reads the ring on
// the first token it signs or checks (so a cold start never waits for SSM).

const Id = z.onFirstUse(() => z.string().check(z.minLength(1), z.maxLength(128)));
const ConsentPayload = z.onFirstUse(() => z.strictObject({
  purpose: z.enum(['optin', 'unsubscribe']),
  customerId: z.string().check(z.minLength(1), z.maxLength(128)),
  topic: z.string().check(z.minLength(1), z.maxLength(64)),
  id: z.string().check(z.minLength(1), z.maxLength(128)),
  campaignId: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  exp: z.optional(z.int()),
}));
const CsatPayload = z.onFirstUse(() => z.strictObject({ purpose: z.literal('csat'), caseId: Id, surveyId: Id, customerId: Id, score: z.int().check(z.gte(1), z.lte(5)), exp: z.int() }));
/** Tokens signed before CSAT existed (optin, unsubscribe) read as they always did. */
const Payload = z.onFirstUse(() => z.union([ConsentPayload, CsatPayload]));

const PART = /^[A-Za-z0-9_-]+$/;

interface VerifyingKey {
  readonly secret: string;
  readonly retireAt?: number | undefined;
}

/** Signs and checks with the keys in hand (TokenSigner's methods, answered at once). */
export interface HmacTokens {
  sign(payload: TokenPayload): string;
  verify(token: string, now: Date): TokenPayload | 'expired' | 'invalid';
}

/** Where a token signer's keys come from: the port (read on first use), or a ring or secret in hand. */
export type TokenKeySource = TokenKeys | TokenKeyRing | string;

/**
 * The TokenSigner port: the keys are read by the first sign or verify, once per container
 * (concurrent first calls share the read); a failed read is not kept, so the next call reads again.
 */
export function tokenSigner(keys: TokenKeySource): TokenSigner {
  // A ring has `keys`; the port may be a lazyPort proxy, which answers no `in` test.
  const tokens = once(async () => hmacTokens(typeof keys === 'string' || 'keys' in keys ? keys : await keys.load()));
  return {
    sign: async (payload) => (await tokens()).sign(payload),
    verify: async (token, now) => (await tokens()).verify(token, now),
  };
}

/**
 * `keys`: the ring; a bare secret is a ring of one key without a kid (tokens as signed before key
 * ids, which tests and tools still make).
 */
export function hmacTokens(keys: string | TokenKeyRing): HmacTokens {
  const ring = typeof keys === 'string' ? undefined : keys;
  const secrets = ring ? [...ring.keys.map((k) => k.secret), ...(ring.legacy ? [ring.legacy.secret] : [])] : [keys as string];
  if (secrets.some((s) => s.length < 32)) throw new Error('token keys must be at least 32 characters');
  const signing = ring ? ring.keys.at(-1)! : undefined;
  const legacy: VerifyingKey | undefined = ring ? ring.legacy : { secret: keys as string };
  const byKid = new Map<string, VerifyingKey>((ring?.keys ?? []).map((k) => [k.kid, k]));
  const mac = (secret: string, signed: string) => createHmac('sha256', secret).update(signed).digest();
  return {
    sign(payload: TokenPayload) {
      const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
      if (!signing) return `${body}.${mac(legacy!.secret, body).toString('base64url')}`;
      const signed = `${signing.kid}.${body}`;
      return `${signed}.${mac(signing.secret, signed).toString('base64url')}`;
    },
    verify(token: string, now: Date) {
      if (token.length > 2048) return 'invalid';
      const parts = token.split('.');
      if (parts.length < 2 || parts.length > 3) return 'invalid';
      // One spelling only: Node's base64url decoder would also accept +, / and stray characters.
      if (!parts.every((part) => PART.test(part))) return 'invalid';
      const [kid, body, signature] = parts.length === 3 ? (parts as [string, string, string]) : [undefined, parts[0]!, parts[1]!];
      const key = kid === undefined ? legacy : byKid.get(kid);
      // A retired key's tokens have outlived their lifetime: they read as forged, never as expired.
      if (!key || (key.retireAt !== undefined && key.retireAt * 1000 < now.getTime())) return 'invalid';
      const signed = kid === undefined ? body : `${kid}.${body}`;
      const expected = Buffer.from(mac(key.secret, signed).toString('base64url'));
      const given = Buffer.from(signature);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'invalid';
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
      } catch {
        return 'invalid';
      }
      const result = Payload.safeParse(parsed);
      if (!result.success) return 'invalid';
      const payload = result.data as TokenPayload;
      if (payload.exp !== undefined && payload.exp * 1000 < now.getTime()) return 'expired';
      return payload;
    },
  };
}
