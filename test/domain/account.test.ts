import { describe, expect, it } from 'vitest';
import { AccountCycleError, checkParent, createAccount, MAX_ACCOUNT_DEPTH, patchAccount, UnknownAccountError } from '../../domain/sales/account.ts';
import { AccountInput, AccountPatch } from '../../domain/sales/account.schema.ts';
import { mergeNewestFirst } from '../../domain/sales/timeline-merge.ts';
import { ValidationError } from '../../domain/shared/errors.ts';

// Accounts' pure rules: defaults, the merge patch, the parent chain, and the timeline merge.

const now = new Date('2026-03-01T10:00:00.000Z');
const base = () => createAccount(AccountInput.parse({ name: 'Acme', domain: 'ACME.com', tags: ['a'], attributes: { tier: 'gold', region: 'EU' } }), { id: 'acc-1', ownerId: 'agent-1', now }).account;

describe('createAccount', () => {
  it('fills the defaults (type customer, the caller as owner, nulls) and announces AccountCreated with ids only', () => {
    const { account, events } = createAccount(AccountInput.parse({ name: ' Acme ' }), { id: 'acc-1', ownerId: 'agent-1', now });
    expect(account).toEqual({
      id: 'acc-1', name: 'Acme', domain: null, industry: null, size: null, tags: [], attributes: {}, parentAccountId: null, ownerId: 'agent-1', type: 'customer',
      createdAt: now.toISOString(), updatedAt: now.toISOString(), version: 1,
    });
    expect(events.map((e) => [e.definition.detailType, e.definition.source, e.data])).toEqual([['AccountCreated', 'crm.sales', { accountId: 'acc-1', ownerId: 'agent-1' }]]);
  });

  it('lowercases the domain and refuses what is not a hostname or a size band', () => {
    expect(base().domain).toBe('acme.com');
    for (const body of [{ name: 'A', domain: 'acme' }, { name: 'A', domain: 'http://acme.com' }, { name: 'A', size: 12 }, { name: '' }]) expect(AccountInput.safeParse(body).success, JSON.stringify(body)).toBe(false);
  });
});

describe('patchAccount (JSON merge patch)', () => {
  it('null clears, attributes merge key by key, tags replace, the version moves', () => {
    const later = new Date('2026-03-02T10:00:00.000Z');
    const next = patchAccount(base(), AccountPatch.parse({ domain: null, attributes: { tier: null, size: 3 }, tags: ['b'], type: 'partner' }), later);
    expect(next).toMatchObject({ domain: null, attributes: { region: 'EU', size: 3 }, tags: ['b'], type: 'partner', version: 2, updatedAt: later.toISOString(), createdAt: now.toISOString() });
    expect(patchAccount(base(), AccountPatch.parse({ attributes: null, tags: null }), later)).toMatchObject({ attributes: {}, tags: [] });
  });

  it('refuses more than 50 attributes after the merge', () => {
    const many = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`k${i}`, i]));
    expect(() => patchAccount(base(), AccountPatch.parse({ attributes: many }), now)).toThrow(ValidationError);
  });
});

describe('checkParent', () => {
  const chain = (parents: Record<string, string | null>) => async (id: string) => (id in parents ? parents[id] : undefined);

  it('accepts a parent whose chain does not meet the account, and a chain ending at a deleted account; answers the chain as read', async () => {
    await expect(checkParent('a', 'b', chain({ b: 'c', c: null }))).resolves.toEqual([
      { id: 'b', parent: 'c' },
      { id: 'c', parent: null },
    ]);
    await expect(checkParent('a', 'b', chain({ b: 'gone' }))).resolves.toEqual([
      { id: 'b', parent: 'gone' },
      { id: 'gone', missing: true },
    ]);
  });

  it('refuses itself, a descendant (409) and an unknown parent (422)', async () => {
    await expect(checkParent('a', 'a', chain({ a: null }))).rejects.toThrow(AccountCycleError);
    await expect(checkParent('a', 'c', chain({ c: 'b', b: 'a', a: null }))).rejects.toThrow(AccountCycleError);
    await expect(checkParent('a', 'x', chain({}))).rejects.toThrow(UnknownAccountError);
  });

  it(`refuses a chain deeper than ${MAX_ACCOUNT_DEPTH} (and stops walking there, even on a loop it did not make)`, async () => {
    const parents: Record<string, string | null> = {};
    for (let i = 0; i < MAX_ACCOUNT_DEPTH + 5; i++) parents[`n${i}`] = `n${i + 1}`;
    parents[`n${MAX_ACCOUNT_DEPTH + 5}`] = null;
    await expect(checkParent('a', 'n0', chain(parents))).rejects.toThrow(/deeper than/);
    let reads = 0;
    const loop = async (id: string) => (reads++, id === 'x' ? 'y' : 'x');
    await expect(checkParent('a', 'x', loop)).rejects.toThrow(AccountCycleError);
    expect(reads).toBeLessThanOrEqual(MAX_ACCOUNT_DEPTH + 1);
    const ok = Object.fromEntries(Array.from({ length: MAX_ACCOUNT_DEPTH - 1 }, (_, i) => [`m${i}`, i === MAX_ACCOUNT_DEPTH - 2 ? null : `m${i + 1}`]));
    await expect(checkParent('a', 'm0', chain(ok))).resolves.toHaveLength(MAX_ACCOUNT_DEPTH - 1);
  });
});

describe('mergeNewestFirst', () => {
  const key = (s: string) => s;
  it('takes the newest entries of all runs and resumes after the last one taken', () => {
    expect(mergeNewestFirst([{ items: ['9', '5', '1'], stoppedAt: null }, { items: ['8', '7', '2'], stoppedAt: null }], key, 3)).toEqual({ items: ['9', '8', '7'], resumeAfter: '7' });
    expect(mergeNewestFirst([{ items: ['9'], stoppedAt: null }, { items: ['8'], stoppedAt: null }], key, 3)).toEqual({ items: ['9', '8'], resumeAfter: null });
    expect(mergeNewestFirst([{ items: ['9', '8'], stoppedAt: null }], key, 2)).toEqual({ items: ['9', '8'], resumeAfter: null });
    expect(mergeNewestFirst([], key, 2)).toEqual({ items: [], resumeAfter: null });
  });

  it('never passes a run that stopped early: the page ends where it stopped', () => {
    // Run 2 stopped at 6 (its filter hid entries, or it hit its limit): older entries may be missing from it.
    const merged = mergeNewestFirst([{ items: ['9', '5', '4'], stoppedAt: null }, { items: ['7', '6'], stoppedAt: '6' }], key, 4);
    expect(merged).toEqual({ items: ['9', '7', '6'], resumeAfter: '6' });
    expect(mergeNewestFirst([{ items: [], stoppedAt: '8' }, { items: ['5'], stoppedAt: null }], key, 4)).toEqual({ items: [], resumeAfter: '8' });
  });
});
