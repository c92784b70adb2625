import { describe, expect, it } from 'vitest';
import { STATUS_MOVES } from '../../domain/cases/case.ts';
import { assignBody, casePatch, commentCaption, problemFieldErrors, statusChoices } from '../../web/src/screens/agent/case-page.ts';
import { channelMix, entryHeading, spentTotals, utcTime } from '../../web/src/screens/agent/customer-360.ts';
import { customerName, customerQuery } from '../../web/src/screens/agent/customer-search.ts';

describe('customer search', () => {
  it('looks up an email exactly and a tag as a listing', () => {
    expect(customerQuery('email', '  ada@example.com ')).toEqual({ query: { email: 'ada@example.com' } });
    expect(customerQuery('tag', 'vip')).toEqual({ query: { tag: 'vip' } });
  });

  it('finds a phone number through its linked identity, in E.164 whatever the spacing', () => {
    expect(customerQuery('phone', '+44 (20) 7946-0000')).toEqual({ query: { identity: 'phone:+442079460000' } });
    expect(customerQuery('phone', '0044 20 7946 0000')).toEqual({ query: { identity: 'phone:+442079460000' } });
    expect(customerQuery('phone', '020 7946 0000')).toEqual({ error: 'Write the number in international form, starting with + and the country code.' });
  });

  it('takes an identity as type:value and says what is wrong otherwise, before anything is sent', () => {
    expect(customerQuery('identity', 'externalId:crm-42')).toEqual({ query: { identity: 'externalId:crm-42' } });
    expect(customerQuery('identity', 'crm-42')).toHaveProperty('error');
    expect(customerQuery('identity', 'loyalty:42')).toHaveProperty('error');
    expect(customerQuery('identity', 'externalId:')).toHaveProperty('error');
    expect(customerQuery('email', '   ')).toEqual({ error: 'Enter something to search for.' });
  });

  it('names a person by first and last name, or by email when they have none', () => {
    expect(customerName({ firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' })).toBe('Ada Lovelace');
    expect(customerName({ firstName: 'Ada', lastName: null, email: 'ada@example.com' })).toBe('Ada');
    expect(customerName({ firstName: null, lastName: ' ', email: 'ada@example.com' })).toBe('ada@example.com');
  });
});

describe('the customer 360', () => {
  it('orders the channel mix by use and drops empty channels', () => {
    expect(channelMix({ byChannel: { email: 2, web: 5, chat: 2, phone: 0 } })).toEqual([
      { channel: 'web', count: 5 },
      { channel: 'email', count: 2 },
      { channel: 'chat', count: 2 },
    ]);
  });

  it('says what each timeline entry is in one line', () => {
    expect(entryHeading({ kind: 'interaction', channel: 'web', type: 'page_view', direction: 'inbound' })).toBe('Interaction · web · page view · inbound');
    expect(entryHeading({ kind: 'email', channel: 'email', type: 'email_blocked', direction: null })).toBe('Email · blocked');
    expect(entryHeading({ kind: 'case', channel: 'chat', type: 'case_opened', direction: 'inbound' })).toBe('Case · chat · opened · inbound');
    expect(entryHeading({ kind: 'case_comment', channel: 'web', type: 'case_comment', direction: 'outbound' })).toBe('Case comment · web · outbound');
    expect(entryHeading({ kind: 'consent', channel: 'email', type: 'consent_requested', direction: 'inbound' })).toBe('Consent · email · requested · inbound');
  });

  it('formats spend per currency, largest first, and times in UTC', () => {
    expect(spentTotals({ totalSpent: { USD: 12.5, EUR: 1234.5 } })).toEqual(['EUR 1,234.50', 'USD 12.50']);
    expect(utcTime('2026-12-01T17:05:09.000Z')).toBe('1 Dec 2026, 17:05 UTC');
  });
});

describe('the case page', () => {
  it('offers the current status and the moves the API allows from it', () => {
    expect(statusChoices('open')).toEqual(['open', 'pending', 'on_hold', 'solved']);
    expect(statusChoices('solved')).toEqual(['solved', 'open', 'closed']);
    expect(statusChoices('closed')).toEqual(['closed']);
  });

  it('offers exactly the moves the domain allows, from every status (the console keeps its own copy: it imports no server code)', () => {
    for (const [status, moves] of Object.entries(STATUS_MOVES)) {
      expect(statusChoices(status as keyof typeof STATUS_MOVES), status).toEqual([status, ...moves]);
    }
  });

  it('sends only what changed, and nothing when nothing did', () => {
    const current = { status: 'open' as const, priority: 'normal' as const, queue: 'general' };
    expect(casePatch(current, { status: 'open', priority: 'normal', queue: ' general ' })).toBeNull();
    expect(casePatch(current, { status: 'pending', priority: 'normal', queue: 'billing' })).toEqual({ status: 'pending', queue: 'billing' });
  });

  it('says who wrote a comment and who can see it', () => {
    expect(commentCaption({ visibility: 'internal', authorType: 'staff', authorId: 'agent-7' })).toBe('Internal note by agent-7');
    expect(commentCaption({ visibility: 'public', authorType: 'staff', authorId: 'agent-7' })).toBe('Public reply by agent-7');
    expect(commentCaption({ visibility: 'public', authorType: 'customer', authorId: 'cus_1' })).toBe('Public message by the customer');
  });

  it('builds the assign body for an agent, nobody, or the least busy member', () => {
    expect(assignBody({ mode: 'agent', assigneeId: ' agent-7 ' })).toEqual({ assigneeId: 'agent-7' });
    expect(assignBody({ mode: 'unassign' })).toEqual({ assigneeId: null });
    expect(assignBody({ mode: 'auto' })).toEqual({ auto: true });
  });

  it("shows the API's own field errors next to their fields, the first per field", () => {
    expect(
      problemFieldErrors({
        errors: [
          { path: 'body', message: 'Too small: expected string to have >=1 characters' },
          { path: 'articleIds.0', message: 'is not published' },
          { path: 'body', message: 'second message' },
        ],
      }),
    ).toEqual({ body: 'Too small: expected string to have >=1 characters', 'articleIds.0': 'is not published' });
    expect(problemFieldErrors(null)).toEqual({});
  });
});
