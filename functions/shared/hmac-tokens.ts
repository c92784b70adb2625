import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from '#domain/shared/zod.ts';
import type { TokenPayload, TokenSigner } from '#domain/consent/tokens.ts';

// Link tokens: base64url(JSON payload) + "." + base64url(HMAC-SHA256). The secret comes from
// configuration (TOKEN_SECRET), never from the code.

const Id = z.string().check(z.minLength(1), z.maxLength(128));
const ConsentPayload = z.strictObject({
  purpose: z.enum(['optin', 'unsubscribe']),
  customerId: z.string().check(z.minLength(1), z.maxLength(128)),
  topic: z.string().check(z.minLength(1), z.maxLength(64)),
  id: z.string().check(z.minLength(1), z.maxLength(128)),
  campaignId: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  exp: z.optional(z.int()),
});
const CsatPayload = z.strictObject({ purpose: z.literal('csat'), caseId: Id, surveyId: Id, customerId: Id, score: z.int().check(z.gte(1), z.lte(5)), exp: z.int() });
/** Tokens signed before CSAT existed (optin, unsubscribe) read as they always did. */
const Payload = z.union([ConsentPayload, CsatPayload]);

export function hmacTokens(secret: string): TokenSigner {
  if (secret.length < 32) throw new Error('TOKEN_SECRET must be at least 32 characters');
  const mac = (body: string) => createHmac('sha256', secret).update(body).digest();
  return {
    sign(payload: TokenPayload) {
      const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
      return `${body}.${mac(body).toString('base64url')}`;
    },
    verify(token: string, now: Date) {
      const [body, signature, ...rest] = token.split('.');
      if (!body || !signature || rest.length > 0 || token.length > 2048) return 'invalid';
      // One spelling only: Node's base64url decoder would also accept +, / and stray characters.
      if (!/^[A-Za-z0-9_-]+$/.test(body) || !/^[A-Za-z0-9_-]+$/.test(signature)) return 'invalid';
      const expected = Buffer.from(mac(body).toString('base64url'));
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
