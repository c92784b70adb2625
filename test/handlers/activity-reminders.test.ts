import { afterEach, describe, expect, it, vi } from 'vitest';
import { activityReminderMail } from '../../domain/sales/activity-reminder.ts';
import { createActivity, patchActivity } from '../../domain/sales/activity.ts';
import { activityUseCases } from '../../domain/sales/activity.use-cases.ts';
import { activityRemindersHandler } from '../../functions/sales/activity-reminders.handler.ts';
import { fakeActivityRepository, fakeRelatedNames } from '../support/activity-fakes.ts';
import { fakeEmailSender, fakeOnceGuard } from '../support/case-fakes.ts';
import { fakeClock, sequentialIds } from '../support/fakes.ts';

// The activityReminders function with fakes: ActivityDue is committed first, then the owner's mail,
// each once per (activity, dueAt) however often the schedule delivers; a mail that failed after
// the commit goes out on the scheduler's retry; the log line says why nobody was mailed.

const NOW = new Date('2025-03-01T10:00:00.000Z');
const DUE = '2025-03-01T12:00:00.000Z';
const none = () => Promise.reject(new Error('no schedules here'));

function setup(ownerId = 'rep@example.com') {
  const activities = fakeActivityRepository();
  const a = createActivity({ type: 'call', subject: 'Call back', dueAt: DUE, ownerId, accountId: 'acc-1' }, { id: 'act-1', now: NOW });
  activities.items.set(a.id, a);
  const mailer = fakeEmailSender();
  const remind = activityUseCases({ activities, clock: fakeClock(NOW), ids: sequentialIds(), schedules: { at: none, cancel: none } }).remind;
  const mail = activityReminderMail({ activities, names: fakeRelatedNames({ accounts: { 'acc-1': 'Acme Ltd' } }), mailer, once: fakeOnceGuard() });
  return { activities, mailer, handler: activityRemindersHandler({ remind, mail }) };
}

const logLines = () => vi.mocked(console.log).mock.calls.map(([line]) => JSON.parse(String(line)) as Record<string, unknown>);

afterEach(() => vi.restoreAllMocks());

describe('activityReminders', () => {
  it('records ActivityDue and mails the owner once when the schedule delivers twice', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const { activities, mailer, handler } = setup();
    expect(await handler({ activityId: 'act-1', dueAt: DUE })).toEqual({ outcome: 'due', mail: 'sent' });
    expect(await handler({ activityId: 'act-1', dueAt: DUE })).toEqual({ outcome: 'already-reminded', mail: 'duplicate' });
    expect(activities.dueEvents).toHaveLength(1);
    expect(mailer.sent).toHaveLength(1);
    expect(mailer.sent[0]).toMatchObject({ to: ['rep@example.com'], subject: '[Reminder] Call back', kind: 'service' });
    expect(mailer.sent[0]!.text).toContain('Account: Acme Ltd');
  });

  it('a mail that failed after ActivityDue was committed is sent by the retried delivery, and ActivityDue is not repeated', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const { activities, mailer, handler } = setup();
    mailer.failNext();
    await expect(handler({ activityId: 'act-1', dueAt: DUE })).rejects.toThrow('SES throttled');
    expect(activities.dueEvents).toHaveLength(1);
    expect(mailer.sent).toHaveLength(0);
    expect(await handler({ activityId: 'act-1', dueAt: DUE })).toEqual({ outcome: 'already-reminded', mail: 'sent' });
    expect(activities.dueEvents).toHaveLength(1);
    expect(mailer.sent).toHaveLength(1);
  });

  it('an owner id that is not an address: ActivityDue, no mail, and the log line says so', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const { activities, mailer, handler } = setup('rep-1');
    expect(await handler({ activityId: 'act-1', dueAt: DUE })).toEqual({ outcome: 'due', mail: 'no-address' });
    expect(activities.dueEvents).toHaveLength(1);
    expect(mailer.sent).toHaveLength(0);
    expect(logLines()).toContainEqual({ level: 'info', message: 'activity reminder', activityId: 'act-1', outcome: 'due', mail: 'no-address' });
  });

  it('a completed activity or an old schedule of a moved one: nothing recorded, nothing sent', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const { activities, mailer, handler } = setup();
    activities.items.set('act-1', patchActivity(activities.items.get('act-1')!, { dueAt: '2025-03-02T12:00:00.000Z' }, NOW));
    expect(await handler({ activityId: 'act-1', dueAt: DUE })).toEqual({ outcome: 'stale', mail: 'not-due' });
    activities.items.set('act-1', patchActivity(activities.items.get('act-1')!, { completed: true }, NOW));
    expect(await handler({ activityId: 'act-1', dueAt: '2025-03-02T12:00:00.000Z' })).toEqual({ outcome: 'stale', mail: 'not-due' });
    expect(activities.dueEvents).toHaveLength(0);
    expect(mailer.sent).toHaveLength(0);
  });

  it('refuses a malformed schedule input (the delivery is retried, then dead-lettered)', async () => {
    const { handler } = setup();
    await expect(handler({ activityId: '', dueAt: DUE })).rejects.toThrow();
    await expect(handler({ activityId: 'act-1', dueAt: 'soon' })).rejects.toThrow();
  });
});
