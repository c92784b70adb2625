import { describe, expect, it } from 'vitest';
import { activityReminderMail, reminderEmail, reminderKey, reminderRecipient } from '../../domain/sales/activity-reminder.ts';
import type { Activity } from '../../domain/sales/activity.schema.ts';
import { createActivity, patchActivity } from '../../domain/sales/activity.ts';
import { fakeActivityRepository, fakeRelatedNames } from '../support/activity-fakes.ts';
import { fakeEmailSender, fakeOnceGuard } from '../support/case-fakes.ts';

const NOW = new Date('2025-03-01T10:00:00.000Z');
const DUE = '2025-03-01T12:00:00.000Z';
const ctx = { correlationId: 'reminder-test' };

function activity(overrides: Partial<Parameters<typeof createActivity>[0]> = {}): Activity {
  return createActivity({ type: 'meeting', subject: 'Quarterly review', dueAt: DUE, ownerId: 'rep@example.com', customerId: 'cust-1', accountId: 'acc-1', opportunityId: 'opp-1', ...overrides }, { id: 'act-1', now: NOW });
}

function setup(a: Activity = activity()) {
  const activities = fakeActivityRepository();
  activities.items.set(a.id, a);
  const mailer = fakeEmailSender();
  const once = fakeOnceGuard();
  const names = fakeRelatedNames({ customers: { 'cust-1': 'Ada Lovelace <ada@example.com>' }, accounts: { 'acc-1': 'Acme Ltd' }, opportunities: { 'opp-1': 'Acme renewal' } });
  return { activities, mailer, once, mail: activityReminderMail({ activities, names, mailer, once }) };
}

describe('the reminder email', () => {
  it('has the subject `[Reminder] <subject>` and names type, due time, customer, account and opportunity', () => {
    const { subject, text } = reminderEmail(activity(), DUE, { customer: 'Ada Lovelace <ada@example.com>', account: 'Acme Ltd', opportunity: 'Acme renewal' });
    expect(subject).toBe('[Reminder] Quarterly review');
    expect(text.split('\n')).toEqual([
      `Your meeting "Quarterly review" is due at ${DUE}.`,
      '',
      'Type: meeting',
      'Subject: Quarterly review',
      `Due: ${DUE}`,
      'Customer: Ada Lovelace <ada@example.com>',
      'Account: Acme Ltd',
      'Opportunity: Acme renewal',
      'Activity: act-1',
    ]);
  });

  it('keeps stored CR/LF out of the subject header and the text lines; unnamed records read by id; no line for a missing link', () => {
    const a = { ...activity({ customerId: undefined, opportunityId: undefined }), subject: 'Call\r\nBcc: victim@example.com' };
    const { subject, text } = reminderEmail(a, DUE, { account: undefined });
    expect(subject).toBe('[Reminder] Call Bcc: victim@example.com');
    expect(subject).not.toMatch(/[\r\n]/);
    expect(text).toContain('Account: account acc-1');
    expect(text).not.toContain('Customer:');
    expect(text).not.toContain('Opportunity:');
    expect(text.split('\n').some((line) => line.startsWith('Bcc:'))).toBe(false);
  });

  it('goes to an owner id that is an email address; any other owner id gets none', () => {
    expect(reminderRecipient({ ownerId: 'rep@example.com' })).toBe('rep@example.com');
    expect(reminderRecipient({ ownerId: 'rep-1' })).toBeUndefined();
    expect(reminderRecipient({ ownerId: 'not an@address' })).toBeUndefined();
  });
});

describe('sending the reminder', () => {
  it('mails the owner once as a service email, however often the reminder is delivered', async () => {
    const { mail, mailer } = setup();
    expect(await mail.send('act-1', DUE, ctx)).toBe('sent');
    expect(await mail.send('act-1', DUE, ctx)).toBe('duplicate');
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]).toMatchObject({ to: ['rep@example.com'], subject: '[Reminder] Quarterly review', kind: 'service', deliveryKey: reminderKey('act-1', DUE) });
    expect(mailer.sent[0]!.text).toContain('Customer: Ada Lovelace <ada@example.com>');
  });

  it('sends on the retry after a failed send (the claim is given up), still once', async () => {
    const { mail, mailer } = setup();
    mailer.failNext();
    await expect(mail.send('act-1', DUE, ctx)).rejects.toThrow('SES throttled');
    expect(mailer.sent).toHaveLength(0);
    expect(await mail.send('act-1', DUE, ctx)).toBe('sent');
    expect(await mail.send('act-1', DUE, ctx)).toBe('duplicate');
    expect(mailer.sent).toHaveLength(1);
  });

  it('sends nothing for an owner id that is not an address, a completed activity, a moved dueAt or an unknown activity', async () => {
    const byId = setup(activity({ ownerId: 'rep-1' }));
    expect(await byId.mail.send('act-1', DUE, ctx)).toBe('no-address');
    expect(byId.once.claimed.size).toBe(0);
    const completed = setup(patchActivity(activity(), { completed: true }, NOW));
    expect(await completed.mail.send('act-1', DUE, ctx)).toBe('not-due');
    const moved = setup(patchActivity(activity(), { dueAt: '2025-03-02T12:00:00.000Z' }, NOW));
    expect(await moved.mail.send('act-1', DUE, ctx)).toBe('not-due');
    expect(await moved.mail.send('nope', DUE, ctx)).toBe('not-due');
    for (const s of [byId, completed, moved]) expect(s.mailer.sent).toHaveLength(0);
  });

  it('never names an erased customer: the stores have no name for them, the mail shows the id only', async () => {
    const { activities, mail, mailer } = setup(activity({ customerId: 'gone-1' }));
    expect(activities.items.get('act-1')!.customerId).toBe('gone-1');
    expect(await mail.send('act-1', DUE, ctx)).toBe('sent');
    expect(mailer.sent[0]!.text).toContain('Customer: customer gone-1');
  });
});
