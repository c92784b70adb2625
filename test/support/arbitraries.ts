import fc from 'fast-check';
import { numberIssue } from '../../domain/shared/json-value.ts';

// fast-check generators for values the customer schemas accept.

const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const word = (min: number, max: number, chars = letters) =>
  fc.string({ unit: fc.constantFrom(...chars), minLength: min, maxLength: max });

/** Mixed-case addresses; the schema lower-cases them. */
export const emailArb = fc
  .tuple(word(1, 20, `${letters}0123456789`), fc.array(word(1, 12), { minLength: 1, maxLength: 3 }), word(2, 6))
  .map(([local, labels, tld]) => `${local}@${labels.join('.')}.${tld}`);

export const nameArb = fc
  .string({ minLength: 1, maxLength: 60 })
  .map((s) => s.trim())
  .filter((s) => s.length > 0);

export const phoneArb = fc.stringMatching(/^\+[1-9]\d{1,14}$/);
export const localeArb = fc.constantFrom('en', 'en-GB', 'de-DE', 'fr', 'pt-BR', 'zh-Hant-TW', 'sr-Latn-RS');
export const timezoneArb = fc.constantFrom('UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Pacific/Auckland');

const attributeKeyArb = word(1, 20, `${letters}0123456789_-`);
const attributeValueArb = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.integer(),
  // Storable doubles only: beyond +/-(2^53-1) or below 1e-130 in magnitude is refused (json-value.ts).
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0) && numberIssue(n) === undefined),
  fc.boolean(),
);
export const attributesArb = fc.dictionary(attributeKeyArb, attributeValueArb, { maxKeys: 8 });
export const tagArb = word(1, 16, `${letters}0123456789-`);
export const tagsArb = fc.array(tagArb, { maxLength: 6 });

/** A raw POST /customers body that the schema must accept. */
export const createInputArb = fc.record(
  {
    email: emailArb,
    firstName: nameArb,
    lastName: nameArb,
    phone: phoneArb,
    locale: localeArb,
    timezone: timezoneArb,
    attributes: attributesArb,
    tags: tagsArb,
  },
  { requiredKeys: ['email'] },
);

const clearable = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });

/** A raw merge patch the schema must accept. */
export const patchArb = fc.record(
  {
    email: emailArb,
    firstName: clearable(nameArb),
    lastName: clearable(nameArb),
    phone: clearable(phoneArb),
    locale: clearable(localeArb),
    timezone: clearable(timezoneArb),
    attributes: clearable(fc.dictionary(attributeKeyArb, fc.option(attributeValueArb, { nil: null }), { maxKeys: 8 })),
    tags: clearable(tagsArb),
  },
  { requiredKeys: [] },
);
