import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { TokenPayload } from '../../domain/consent/tokens.ts';
import { hmacTokens } from '../../functions/shared/hmac-tokens.ts';

// Survey links (issue 11) share the HMAC tokens with opt-in and unsubscribe links: the purpose
// tells them apart, and the tokens signed before surveys existed still verify.

const SECRET = 'test-secret-0123456789abcdefghijklmnop';
const NOW = new Date('2025-01-15T09:00:00.000Z');
const exp = NOW.getTime() / 1000 + 3600;
const tokens = hmacTokens(SECRET);
const survey: TokenPayload = { purpose: 'csat', caseId: 'case-1', surveyId: 's-1', customerId: 'c-1', score: 4, exp };
/** A token signed by hand, as a forger with the secret (or an older version of the code) would. */
const signed = (payload: unknown) => {
  const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${body}.${createHmac('sha256', SECRET).update(body).digest('base64url')}`;
};

describe('survey tokens', () => {
  it('round-trip with their case, survey, customer and score', () => {
    expect(tokens.verify(tokens.sign(survey), NOW)).toEqual(survey);
  });

  it('keep opt-in and unsubscribe tokens signed in the old shape valid', () => {
    const optin = { purpose: 'optin', customerId: 'c-1', topic: 'newsletter', id: 'tok-1', exp };
    const unsubscribe = { purpose: 'unsubscribe', customerId: 'c-1', topic: 'newsletter', id: 'tok-2', campaignId: 'cmp-1' };
    expect(tokens.verify(signed(optin), NOW)).toEqual(optin);
    expect(tokens.verify(signed(unsubscribe), NOW)).toEqual(unsubscribe);
  });

  it('refuse a survey payload that is incomplete, mixed with a consent one, or scores out of 1-5', () => {
    expect(tokens.verify(signed({ ...survey, score: 6 }), NOW)).toBe('invalid');
    expect(tokens.verify(signed({ ...survey, exp: undefined }), NOW)).toBe('invalid');
    expect(tokens.verify(signed({ ...survey, topic: 'newsletter' }), NOW)).toBe('invalid');
    expect(tokens.verify(signed({ purpose: 'optin', caseId: 'case-1', surveyId: 's-1', customerId: 'c-1', score: 4, exp }), NOW)).toBe('invalid');
  });

  it('expire at their exp', () => {
    expect(tokens.verify(tokens.sign(survey), new Date((exp + 1) * 1000))).toBe('expired');
  });
});
