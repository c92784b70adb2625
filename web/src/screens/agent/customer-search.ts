import type { components } from '../../../../clients/typescript/ecrm-api.ts';

// GET /customers is the API's customer search: exact lookups by email or by a linked identity
// (`?identity=type:value`, which is how a phone number is found), and a tag listing with pages.
// It has no name search (no index holds names), so the screen offers only what the API answers.

type Customer = components['schemas']['Customer'];
export type SearchKind = 'email' | 'phone' | 'identity' | 'tag';
export type CustomerQuery = { email: string } | { identity: string } | { tag: string };

export const SEARCH_KINDS: readonly { kind: SearchKind; label: string; hint: string }[] = [
  { kind: 'email', label: 'Email', hint: 'The exact address, e.g. ada@example.com' },
  { kind: 'phone', label: 'Phone', hint: 'A linked phone identity in international form, e.g. +44 20 7946 0000' },
  { kind: 'identity', label: 'Identity', hint: 'type:value, e.g. externalId:crm-42 or anonymousId:web-7f3a' },
  { kind: 'tag', label: 'Tag', hint: 'Every customer with this tag, newest first' },
];

const IDENTITY_TYPES = ['email', 'phone', 'externalId', 'anonymousId'] as const;

/** The query for GET /customers, or what is wrong with the input before anything is sent. */
export function customerQuery(kind: SearchKind, raw: string): { query: CustomerQuery } | { error: string } {
  const value = raw.trim();
  if (value === '') return { error: 'Enter something to search for.' };
  switch (kind) {
    case 'email':
      return { query: { email: value } };
    case 'tag':
      return { query: { tag: value } };
    case 'phone': {
      // People type numbers with spaces, dashes, dots, brackets and a 00 prefix; identities hold E.164.
      const digits = value.replace(/[\s\-.()/]/g, '').replace(/^00/, '+');
      if (!/^\+[1-9]\d{6,14}$/.test(digits)) return { error: 'Write the number in international form, starting with + and the country code.' };
      return { query: { identity: `phone:${digits}` } };
    }
    case 'identity': {
      const colon = value.indexOf(':');
      const type = colon > 0 ? value.slice(0, colon) : '';
      if (!(IDENTITY_TYPES as readonly string[]).includes(type) || colon === value.length - 1) {
        return { error: `Write it as type:value with type one of ${IDENTITY_TYPES.join(', ')}.` };
      }
      return { query: { identity: value } };
    }
  }
}

/** How the console names a person: first and last name when known, else the email address. */
export function customerName(c: Pick<Customer, 'firstName' | 'lastName' | 'email'>): string {
  const name = [c.firstName, c.lastName].filter((part): part is string => part !== null && part.trim() !== '').join(' ');
  return name === '' ? c.email : name;
}
