import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TokenPayload } from '../../domain/consent/tokens.ts';
import { hmacTokens } from '../../functions/shared/hmac-tokens.ts';

// The HMAC link tokens (functions/shared/hmac-tokens.ts) with a test secret: what verifies, what
// expires, and that a token cannot be altered into another valid one.

const SECRET = 'test-secret-0123456789abcdefghijklmnop';
const NOW = new Date('2025-01-15T09:00:00.000Z');
const nowSeconds = NOW.getTime() / 1000;
const tokens = hmacTokens(SECRET);
const payload: TokenPayload = { purpose: 'optin', customerId: 'c-0001', topic: 'newsletter', id: 'tok-0001', exp: nowSeconds + 3600 };

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const parts = (token: string) => {
  const [body, signature] = token.split('.');
  return { body: body!, signature: signature! };
};

describe('hmacTokens', () => {
  it('verifies what it signed and returns the payload', () => {
    const token = tokens.sign(payload);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(tokens.verify(token, NOW)).toEqual(payload);
  });

  it('carries the campaign of an unsubscribe link through verification', () => {
    const campaignLink: TokenPayload = { purpose: 'unsubscribe', customerId: 'c-0001', topic: 'newsletter', id: 'tok-0002', campaignId: 'cmp-1' };
    expect(tokens.verify(tokens.sign(campaignLink), NOW)).toEqual(campaignLink);
  });

  it('keeps the purpose, so an unsubscribe token never reads as an opt-in', () => {
    const unsubscribe: TokenPayload = { purpose: 'unsubscribe', customerId: 'c-0002', topic: 'offers', id: 'tok-9' };
    expect(tokens.verify(tokens.sign(unsubscribe), NOW)).toEqual(unsubscribe);
  });

  it('rejects a payload changed under the original signature', () => {
    const { signature } = parts(tokens.sign(payload));
    const forged = `${b64({ ...payload, customerId: 'c-0666' })}.${signature}`;
    expect(tokens.verify(forged, NOW)).toBe('invalid');
  });

  it('rejects a changed signature', () => {
    const { body, signature } = parts(tokens.sign(payload));
    const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    expect(tokens.verify(`${body}.${flipped}`, NOW)).toBe('invalid');
  });

  it('rejects a token signed with another secret', () => {
    const other = hmacTokens('another-secret-that-is-long-enough-000');
    expect(other.verify(tokens.sign(payload), NOW)).toBe('invalid');
    expect(tokens.verify(other.sign(payload), NOW)).toBe('invalid');
  });

  it("answers 'expired' once exp lies before now, and not before", () => {
    const token = tokens.sign({ ...payload, exp: nowSeconds - 1 });
    expect(tokens.verify(token, NOW)).toBe('expired');
    const lastSecond = tokens.sign({ ...payload, exp: nowSeconds });
    expect(tokens.verify(lastSecond, NOW)).toEqual({ ...payload, exp: nowSeconds });
    expect(tokens.verify(lastSecond, new Date(NOW.getTime() + 1001))).toBe('expired');
  });

  it('never expires a token without exp', () => {
    const { exp: _exp, ...forever } = payload;
    const token = tokens.sign(forever);
    expect(tokens.verify(token, new Date('2125-01-01T00:00:00.000Z'))).toEqual(forever);
  });

  it("answers 'expired' only for a genuine token: a forged expired one is 'invalid'", () => {
    const forged = `${b64({ ...payload, exp: nowSeconds - 10 })}.${parts(tokens.sign(payload)).signature}`;
    expect(tokens.verify(forged, NOW)).toBe('invalid');
  });

  it.each([
    ['empty', ''],
    ['no dot', 'abcdef'],
    ['only a dot', '.'],
    ['no signature', `${b64(payload)}.`],
    ['no body', '.abc'],
    ['extra dots', `${tokens.sign(payload)}.x`],
    ['non-base64 signature', `${b64(payload)}.!!!!`],
    ['huge', `${'a'.repeat(5000)}.${'b'.repeat(50)}`],
  ])('rejects a malformed token (%s)', (_name, token) => {
    expect(tokens.verify(token, NOW)).toBe('invalid');
  });

  it('rejects bodies that carry a correct MAC but are not JSON, or not a valid payload', () => {
    // The same construction as the adapter (HMAC-SHA256 over the base64url body), to reach the
    // checks that run after the signature matched.
    const withMac = (body: string) => `${body}.${createHmac('sha256', SECRET).update(body).digest('base64url')}`;
    expect(tokens.verify(withMac(b64(payload)), NOW)).toEqual(payload); // the construction matches
    expect(tokens.verify(withMac(Buffer.from('not json').toString('base64url')), NOW)).toBe('invalid');
    expect(tokens.verify(withMac(b64({ ...payload, purpose: 'admin' })), NOW)).toBe('invalid');
    expect(tokens.verify(withMac(b64({ ...payload, extra: 1 })), NOW)).toBe('invalid');
    const { id: _id, ...noId } = payload;
    expect(tokens.verify(withMac(b64(noId)), NOW)).toBe('invalid');
    expect(tokens.verify(withMac(b64({ ...payload, exp: 1.5 })), NOW)).toBe('invalid');
    expect(tokens.verify(withMac(b64([payload])), NOW)).toBe('invalid');
  });

  it('refuses a secret shorter than 32 characters', () => {
    expect(() => hmacTokens('x'.repeat(31))).toThrow(/at least 32/);
    expect(() => hmacTokens('x'.repeat(32))).not.toThrow();
  });

  it('turns any single-character change into an invalid token (or one that still says exactly the same)', () => {
    const token = tokens.sign(payload);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.+/=!~ ';
    fc.assert(
      fc.property(fc.nat({ max: token.length - 1 }), fc.constantFrom(...alphabet), (at, char) => {
        const changed = `${token.slice(0, at)}${char}${token.slice(at + 1)}`;
        const result = tokens.verify(changed, NOW);
        // Either refused, or (for the few spellings base64url decodes to the same bytes) the very same payload.
        if (changed === token || result !== 'invalid') expect(result).toEqual(payload);
      }),
      { numRuns: 2000 },
    );
  });
});

// Found by these tests and fixed; kept as a regression.
describe('regressions', () => {
  it('only the canonical spelling of a token verifies (no junk characters slipped into it)', () => {
    const token = tokens.sign(payload);
    expect(tokens.verify(`${token}!`, NOW)).toBe('invalid');
    expect(tokens.verify(`${token.slice(0, token.indexOf('.') + 1)}~${token.slice(token.indexOf('.') + 1)}`, NOW)).toBe('invalid');
  });
});
