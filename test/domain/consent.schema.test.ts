import { describe, expect, it } from 'vitest';
import { type ConsentState, LedgerEntry, stateOf } from '../../domain/consent/consent.schema.ts';

// The state of a topic as a fold over its ledger entries (oldest first).

type Action = LedgerEntry['action'];

describe('stateOf', () => {
  it.each<[readonly Action[], ConsentState]>([
    [[], 'none'],
    [['requested'], 'pending'],
    [['requested', 'requested'], 'pending'],
    [['requested', 'confirmed'], 'subscribed'],
    [['granted'], 'subscribed'],
    [['confirmed', 'requested'], 'subscribed'], // a repeated request does not undo a subscription
    [['granted', 'requested', 'requested'], 'subscribed'],
    [['requested', 'withdrawn'], 'unsubscribed'],
    [['granted', 'withdrawn'], 'unsubscribed'],
    [['granted', 'suppressed'], 'unsubscribed'],
    [['withdrawn'], 'unsubscribed'],
    [['requested', 'confirmed', 'withdrawn', 'requested'], 'pending'], // asking again after leaving
    [['requested', 'confirmed', 'withdrawn', 'requested', 'confirmed'], 'subscribed'],
    [['granted', 'withdrawn', 'granted'], 'subscribed'],
    [['suppressed', 'requested'], 'pending'],
  ])('%j -> %s', (actions, expected) => {
    expect(stateOf(actions.map((action) => ({ action })))).toBe(expected);
  });
});

describe('LedgerEntry', () => {
  it('accepts a complete entry and refuses an unknown action or source', () => {
    const entry = {
      id: 'l-1',
      customerId: 'c-1',
      topic: 'newsletter',
      action: 'granted',
      source: 'import',
      at: '2025-01-15T09:00:00.000Z',
      ip: null,
      userAgent: null,
      textVersion: null,
      legalBasis: 'consent',
      proof: 'paper-form-7',
    };
    expect(LedgerEntry.parse(entry)).toEqual(entry);
    expect(LedgerEntry.safeParse({ ...entry, action: 'subscribed' }).success).toBe(false);
    expect(LedgerEntry.safeParse({ ...entry, source: 'guess' }).success).toBe(false);
  });
});
