import { describe, expect, it } from 'vitest';
import type { components } from '../../clients/typescript/ecrm-api.ts';
import { latestConsentChanges, preferenceRows } from '../../web/src/screens/portal/preferences.ts';

type Interaction = components['schemas']['Interaction'];

const TOPICS = [
  { id: 'newsletter', name: 'Newsletter', description: 'Monthly news', purpose: 'marketing' as const },
  { id: 'product-news', name: 'Product news', description: '', purpose: 'marketing' as const },
  { id: 'account', name: 'Account notices', description: 'About your account', purpose: 'service' as const },
];

let n = 0;
function consent(topic: string, action: string, occurredAt: string): Interaction {
  n += 1;
  return {
    kind: 'consent',
    id: `c${n}`,
    customerId: 'cus_1',
    anonymousId: null,
    channel: 'email',
    type: `consent_${action}`,
    direction: 'inbound',
    occurredAt,
    recordedAt: occurredAt,
    summary: null,
    data: { topic, action, source: 'preference_center' },
    value: null,
  };
}

describe('latestConsentChanges', () => {
  it('keeps the newest action per topic whatever the order, and ignores other kinds', () => {
    const entries = [
      consent('newsletter', 'requested', '2026-12-01T10:00:00.000Z'),
      consent('newsletter', 'confirmed', '2026-12-01T11:00:00.000Z'),
      consent('newsletter', 'withdrawn', '2026-12-01T09:00:00.000Z'),
      { ...consent('newsletter', 'withdrawn', '2026-12-02T00:00:00.000Z'), kind: 'email' as const },
    ];
    expect(latestConsentChanges(entries).get('newsletter')).toEqual({ action: 'confirmed', at: '2026-12-01T11:00:00.000Z' });
    expect(latestConsentChanges([...entries].reverse()).get('newsletter')).toEqual({ action: 'confirmed', at: '2026-12-01T11:00:00.000Z' });
  });
});

describe('preferenceRows', () => {
  it('shows a wanted topic whose latest change is a request as awaiting the double opt-in', () => {
    const rows = preferenceRows(TOPICS, { newsletter: true, 'product-news': false, account: false }, [consent('newsletter', 'requested', '2026-12-01T10:00:00.000Z')]);
    expect(rows.map((r) => [r.topicId, r.on, r.state])).toEqual([
      ['newsletter', true, 'awaiting-confirmation'],
      ['product-news', false, 'not-subscribed'],
      ['account', false, 'not-subscribed'],
    ]);
    expect(rows[0]).toMatchObject({ name: 'Newsletter', description: 'Monthly news', purpose: 'marketing', since: '2026-12-01T10:00:00.000Z' });
  });

  it('shows a confirmed or granted topic as subscribed and a withdrawn one as unsubscribed', () => {
    const rows = preferenceRows(TOPICS, { newsletter: true, 'product-news': false, account: true }, [
      consent('newsletter', 'requested', '2026-12-01T10:00:00.000Z'),
      consent('newsletter', 'confirmed', '2026-12-01T10:05:00.000Z'),
      consent('product-news', 'confirmed', '2026-12-01T10:00:00.000Z'),
      consent('product-news', 'withdrawn', '2026-12-01T12:00:00.000Z'),
      consent('account', 'granted', '2026-11-01T00:00:00.000Z'),
    ]);
    expect(rows.map((r) => r.state)).toEqual(['subscribed', 'unsubscribed', 'subscribed']);
  });

  it('trusts the flag over the history: a flag turned off after a request reads unsubscribed', () => {
    const [row] = preferenceRows(TOPICS, { newsletter: false }, [consent('newsletter', 'requested', '2026-12-01T10:00:00.000Z')]);
    expect(row).toMatchObject({ topicId: 'newsletter', on: false, state: 'unsubscribed' });
  });

  it('lists only the topics the flags name, in the order of GET /topics, unknown ones last by id', () => {
    const rows = preferenceRows(TOPICS, { zeta: false, account: true, alpha: true, newsletter: false }, []);
    expect(rows.map((r) => r.topicId)).toEqual(['newsletter', 'account', 'alpha', 'zeta']);
    expect(rows[2]).toMatchObject({ name: 'alpha', description: '', purpose: null, state: 'subscribed', since: null });
  });
});
