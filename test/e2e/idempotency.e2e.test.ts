import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_TABLE } from '../../infra/topology.ts';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

// README: "POST honours Idempotency-Key: a retry with the same key and body returns the first
// response and creates nothing; the same key with another body is 422".

let t: TestRuntime;
let customerId: string;
let caseId: string;
let accountId: string;
let leadId: string;
beforeAll(async () => {
  t = await startTestRuntime();
  customerId = (await t.call('POST', '/customers', { body: { email: 'retry@example.com' } })).json.id;
  caseId = (await t.call('POST', '/cases', { body: { customerId, subject: 'retries', channel: 'web' } })).json.id;
  accountId = (await t.call('POST', '/accounts', { body: { name: 'Retry account' } })).json.id;
  leadId = (await t.call('POST', '/leads', { body: { email: 'convert.retry@example.com', company: 'Converted Retry Ltd', source: 'fair' } })).json.id;
});
afterAll(async () => {
  await t?.runtime.stop();
});

/** Each POST route that creates something, a body for it, and how many of what it creates exist. */
const creating = () => [
  { path: '/customers', body: { email: 'once@example.com' }, other: { email: 'other@example.com' }, count: async () => (await t.call('GET', '/customers?limit=100')).json.items.length },
  { path: '/cases', body: { customerId, subject: 'once', channel: 'web' }, other: { customerId, subject: 'other', channel: 'web' }, count: async () => (await t.call('GET', `/cases?customerId=${customerId}&limit=100`)).json.items.length },
  {
    path: `/customers/${customerId}/interactions`,
    body: { channel: 'web', type: 'page_view', data: { url: '/pricing' } },
    other: { channel: 'web', type: 'page_view', data: { url: '/other' } },
    count: async () => (await t.call('GET', `/customers/${customerId}/timeline?limit=100`)).json.items.length,
  },
  {
    path: '/interactions',
    body: { items: [{ customerId, channel: 'web', type: 'click' }, { customerId: 'nobody', channel: 'web', type: 'click' }, { anonymousId: 'anon-1', channel: 'web', type: 'click' }] },
    other: { items: [{ customerId, channel: 'web', type: 'other' }] },
    status: 200,
    count: async () => (await t.call('GET', `/customers/${customerId}/timeline?limit=100`)).json.items.length + (await t.call('GET', `/customers/${customerId}`)).json.stats.interactionCount,
  },
  {
    path: `/cases/${caseId}/comments`,
    body: { body: 'Once only', visibility: 'internal' },
    other: { body: 'Other', visibility: 'internal' },
    count: async () => (await t.call('GET', `/cases/${caseId}/comments?limit=100`)).json.items.length,
  },
  {
    path: '/kb/articles',
    body: { title: 'Once only', body: 'x', locale: 'en-GB' },
    other: { title: 'Other', body: 'x', locale: 'en-GB' },
    count: async () => (await t.call('GET', '/kb/articles?limit=100')).json.items.length,
  },
  {
    path: '/accounts',
    body: { name: 'Once Ltd' },
    other: { name: 'Other Ltd' },
    count: async () => (await t.call('GET', '/accounts?limit=100')).json.items.length,
  },
  {
    path: '/leads',
    body: { email: 'once.lead@example.com', source: 'fair' },
    other: { email: 'other.lead@example.com', source: 'fair' },
    count: async () => (await t.call('GET', '/leads?limit=100')).json.items.length,
  },
  {
    path: '/opportunities',
    body: { accountId, name: 'Once deal', amount: 100, currency: 'EUR', closeDate: '2027-01-31' },
    other: { accountId, name: 'Other deal', amount: 100, currency: 'EUR', closeDate: '2027-01-31' },
    count: async () => (await t.call('GET', '/opportunities?limit=100')).json.items.length,
  },
  {
    path: '/activities',
    body: { type: 'task', subject: 'Once only', ownerId: 'idempotent-owner' },
    other: { type: 'task', subject: 'Other', ownerId: 'idempotent-owner' },
    count: async () => (await t.call('GET', '/activities?owner=idempotent-owner&limit=100')).json.items.length,
  },
  {
    // Converting answers 200 (the lead is updated; what it creates is in the answer).
    path: `/leads/${leadId}/convert`,
    body: { opportunity: { name: 'Once deal', amount: 100, currency: 'EUR', closeDate: '2027-01-31' } },
    other: { accountName: 'Other Ltd' },
    status: 200,
    count: async () => (await t.call('GET', '/accounts?limit=100')).json.items.length + (await t.call('GET', '/opportunities?limit=100')).json.items.length + (await t.call('GET', '/customers?limit=100')).json.items.length,
  },
  // Self-service, as the customer signed in: the key is scoped to the token's subject.
  {
    path: '/me/cases',
    customer: true,
    body: { subject: 'once' },
    other: { subject: 'other' },
    count: async () => (await t.call('GET', `/cases?customerId=${customerId}&limit=100`)).json.items.length,
  },
  {
    path: `/me/cases/${caseId}/comments`,
    customer: true,
    body: { body: 'Once only' },
    other: { body: 'Other' },
    count: async () => (await t.call('GET', `/cases/${caseId}/comments?limit=100`)).json.items.length,
  },
];

describe('Idempotency-Key on POST routes that create something', () => {
  it('is declared on every one of them', () => {
    const declared = ROUTE_TABLE.filter((r) => r.method === 'POST' && 'idempotent' in r && r.idempotent).map((r) => r.path);
    expect(declared.sort()).toEqual(
      ['/accounts', '/activities', '/campaigns', '/cases', '/cases/{id}/comments', '/customers', '/customers/{id}/interactions', '/interactions', '/kb/articles', '/leads', '/leads/{id}/convert', '/me/cases', '/me/cases/{id}/comments', '/opportunities', '/segments', '/segments/{id}/snapshots'].sort(),
    );
  });

  for (const index of [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) {
    it(`a retry returns the first response and creates nothing new (route ${index + 1} of 13)`, async () => {
      const { path, body, other, count, status = 201, customer = false } = creating()[index]!;
      const signedIn = customer ? { role: null, authorization: `Bearer ${await t.token('customer', customerId)}` } : undefined;
      const headers = { 'idempotency-key': `retry-${index}`, ...(signedIn ? { authorization: signedIn.authorization } : {}) };
      const as = signedIn ? { role: null } : {};
      const first = await t.call('POST', path, { ...as, body, headers });
      expect(first.status, `${path} ${first.text}`).toBe(status);
      const before = await count();
      const retry = await t.call('POST', path, { ...as, body, headers });
      expect(retry.status).toBe(status);
      expect(retry.json).toEqual(first.json);
      expect(await count()).toBe(before);
      const reused = await t.call('POST', path, { ...as, body: other, headers });
      expect(reused.status).toBe(422);
      expect(reused.json.type).toBe('urn:ecrm:problem:idempotency-key-reused');
      expect(await count()).toBe(before);
    });
  }
});
