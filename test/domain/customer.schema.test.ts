import { describe, expect, it } from 'vitest';
import type * as z from '#domain/shared/zod.ts';
import { CreateCustomerInput, CustomerPatch, MAX_ATTRIBUTES, MAX_TAGS, READ_ONLY_FIELDS } from '../../domain/customers/customer.schema.ts';

/** Paths of the issues a schema reports, dotted ("attributes.k1"), for unrecognized keys one per key. */
function issuePaths(schema: z.ZodMiniType, value: unknown): string[] {
  const result = schema.safeParse(value);
  if (result.success) return [];
  return result.error.issues.flatMap((issue) => {
    const base = issue.path.map(String).join('.');
    return issue.code === 'unrecognized_keys' ? issue.keys.map((k) => (base ? `${base}.${k}` : k)) : [base];
  });
}

const many = (n: number) => Array.from({ length: n }, (_, i) => `t${i}`);
const attributes = (n: number) => Object.fromEntries(many(n).map((k, i) => [k, i]));

describe('CreateCustomerInput', () => {
  it('lower-cases the email address', () => {
    expect(CreateCustomerInput.parse({ email: 'Ada.Lovelace@Example.COM' }).email).toBe('ada.lovelace@example.com');
  });

  it('requires an email', () => {
    expect(issuePaths(CreateCustomerInput, { firstName: 'Ada' })).toEqual(['email']);
  });

  it.each([
    ['email', 'not-an-email'],
    ['email', 'ada@'],
    ['phone', '0151 1234567'],
    ['phone', '+0123'],
    ['locale', 'not a locale'],
    ['locale', 'en_US_POSIX_x'],
    ['timezone', 'Mars/Olympus_Mons'],
    ['timezone', 'Europe/Berlinn'],
    ['firstName', '   '],
  ])('rejects %s = %j and names the field in the issue path', (field, value) => {
    expect(issuePaths(CreateCustomerInput, { email: 'ada@example.com', [field]: value })).toEqual([field]);
  });

  it('accepts E.164 phones, BCP 47 locales and IANA time zones', () => {
    const parsed = CreateCustomerInput.parse({
      email: 'ada@example.com',
      phone: '+4915112345678',
      locale: 'de-DE',
      timezone: 'Europe/Berlin',
    });
    expect(parsed).toMatchObject({ phone: '+4915112345678', locale: 'de-DE', timezone: 'Europe/Berlin' });
  });

  it(`accepts ${MAX_TAGS} tags and rejects ${MAX_TAGS + 1}`, () => {
    expect(issuePaths(CreateCustomerInput, { email: 'a@example.com', tags: many(MAX_TAGS) })).toEqual([]);
    expect(issuePaths(CreateCustomerInput, { email: 'a@example.com', tags: many(MAX_TAGS + 1) })).toEqual(['tags']);
  });

  it(`accepts ${MAX_ATTRIBUTES} attributes and rejects ${MAX_ATTRIBUTES + 1}`, () => {
    expect(issuePaths(CreateCustomerInput, { email: 'a@example.com', attributes: attributes(MAX_ATTRIBUTES) })).toEqual([]);
    expect(issuePaths(CreateCustomerInput, { email: 'a@example.com', attributes: attributes(MAX_ATTRIBUTES + 1) })).toEqual(['attributes']);
  });

  it('rejects attribute values that are neither string, number nor boolean, naming the key', () => {
    expect(issuePaths(CreateCustomerInput, { email: 'a@example.com', attributes: { ok: 1, nested: { a: 1 } } })).toEqual(['attributes.nested']);
  });

  it('trims tags and removes duplicates', () => {
    expect(CreateCustomerInput.parse({ email: 'a@example.com', tags: ['vip', ' vip ', 'beta'] }).tags).toEqual(['vip', 'beta']);
  });

  it('rejects unknown fields and every read-only field', () => {
    expect(issuePaths(CreateCustomerInput, { email: 'a@example.com', nickname: 'ada' })).toEqual(['nickname']);
    for (const field of READ_ONLY_FIELDS) {
      expect(issuePaths(CreateCustomerInput, { email: 'a@example.com', [field]: field === 'version' ? 1 : 'x' })).toEqual([field]);
    }
  });
});

describe('CustomerPatch', () => {
  it('accepts null for optional fields, attribute keys, attributes and tags', () => {
    const patch = { firstName: null, lastName: null, phone: null, locale: null, timezone: null, attributes: { plan: null }, tags: null };
    expect(CustomerPatch.parse(patch)).toEqual(patch);
    expect(CustomerPatch.parse({ attributes: null })).toEqual({ attributes: null });
  });

  it('rejects null for the email, which cannot be cleared', () => {
    expect(issuePaths(CustomerPatch, { email: null })).toEqual(['email']);
  });

  it('accepts an empty patch', () => {
    expect(CustomerPatch.parse({})).toEqual({});
  });

  it('lower-cases a new email and validates phone, locale and time zone like create does', () => {
    expect(CustomerPatch.parse({ email: 'NEW@Example.com' }).email).toBe('new@example.com');
    expect(issuePaths(CustomerPatch, { phone: '12345', locale: '!!', timezone: 'Nowhere/City' }).sort()).toEqual(['locale', 'phone', 'timezone']);
  });

  it('rejects read-only and unknown fields', () => {
    expect(issuePaths(CustomerPatch, { version: 3, id: 'x', colour: 'red' }).sort()).toEqual(['colour', 'id', 'version']);
  });

  it(`rejects ${MAX_TAGS + 1} tags`, () => {
    expect(issuePaths(CustomerPatch, { tags: many(MAX_TAGS + 1) })).toEqual(['tags']);
  });
});
