import { describe, expect, it } from 'vitest';
import { CaseClosedError, customerReply, ownedBy } from '../../domain/cases/case.ts';
import { CaseNotFoundError } from '../../domain/shared/errors.ts';
import { inStatus, iso, opened, plus, ROUND_POLICY, summary, T0 } from '../support/case-builders.ts';

// Self-service entity commands: a customer's reply (public, reopening what waits on them) and the
// ownership rule every /me/cases call applies.

const reply = (status: Parameters<typeof inStatus>[0], minutesAfterT0 = 60) =>
  customerReply(inStatus(status), 'Here is the photo', 'comment-1', plus(T0, minutesAfterT0), ROUND_POLICY);

describe('customerReply', () => {
  it('is a public comment by the case customer, with no status change on an open case', () => {
    const result = reply('open');
    expect(result.comment).toEqual({ id: 'comment-1', caseId: 'case-1', body: 'Here is the photo', visibility: 'public', authorId: 'cust-1', authorType: 'customer', createdAt: iso(T0, 60), articles: [] });
    expect(result.case.status).toBe('open');
    expect(result.case.firstRespondedAt).toBeNull(); // only staff answers count as a first response
    expect(summary(result.events).map(([type]) => type)).toEqual(['CaseCommented']);
  });

  it('reopens a pending case in the same change, resuming the resolution clock', () => {
    const pending = inStatus('pending');
    expect(pending.sla.pausedSince).not.toBeNull();
    const result = customerReply(pending, 'Here it is', 'comment-1', plus(T0, 61), ROUND_POLICY);
    expect(result.case).toMatchObject({ status: 'open', version: pending.version + 1 });
    expect(result.case.sla.pausedSince).toBeNull();
    expect(result.case.sla.pausedMinutes).toBe(60);
    expect(summary(result.events)).toEqual([
      ['CaseCommented', { caseId: 'case-1', commentId: 'comment-1', visibility: 'public', firstResponse: false }],
      ['CaseUpdated', { caseId: 'case-1', changed: ['status'] }],
      ['CaseStatusChanged', { caseId: 'case-1', customerId: 'cust-1', from: 'pending', to: 'open' }],
    ]);
  });

  it('reopens a solved case and clears solvedAt; an on-hold case stays on hold (the desk holds it, not the customer)', () => {
    const reopened = reply('solved');
    expect(reopened.case).toMatchObject({ status: 'open', solvedAt: null });
    expect(summary(reopened.events).at(-1)).toEqual(['CaseStatusChanged', { caseId: 'case-1', customerId: 'cust-1', from: 'solved', to: 'open' }]);
    expect(reply('on_hold').case.status).toBe('on_hold');
  });

  it('refuses a closed case', () => {
    expect(() => reply('closed')).toThrow(CaseClosedError);
  });
});

describe('ownedBy', () => {
  it("passes the case customer's own case and hides anyone else's as not found", () => {
    const c = opened();
    expect(ownedBy(c, 'cust-1')).toBe(c);
    expect(() => ownedBy(c, 'cust-2')).toThrow(CaseNotFoundError);
    expect(() => ownedBy(c, 'cust-2')).toThrow(`No case with id ${c.id}.`);
  });
});
