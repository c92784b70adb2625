import { type EmailSender, headerSafe } from '../shared/email.ts';
import { onceOnly } from '../shared/once.ts';
import type { CommandContext, OnceGuard } from '../shared/ports.ts';
import { reminderStands } from './activity.ts';
import type { ActivityRepository } from './activity.ports.ts';
import type { Activity } from './activity.schema.ts';

// The due reminder's service email to the activity's owner (issue 12). It goes out after the
// reminder's ActivityDue was committed, from the same scheduled delivery: a delivery that fails
// after the commit is retried by the scheduler, finds the commit done and sends the mail then; a
// once-claim per (activity, dueAt) keeps a repeated delivery from mailing twice.

/** The convention of case notices: an owner id that is an email address is mailed, any other is not. */
const EMAIL_LIKE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** Port: names of the records an activity links to, as staff mail shows them (from the stores). */
export interface RelatedNames {
  /** "Ada Lovelace <ada@example.com>"; an erased (or being erased) customer only as `customer <id>`. */
  customer(customerId: string): Promise<string>;
  /** The account's or opportunity's name, undefined when it does not exist. */
  account(accountId: string): Promise<string | undefined>;
  opportunity(opportunityId: string): Promise<string | undefined>;
}

export const reminderRecipient = (activity: Pick<Activity, 'ownerId'>): string | undefined => (EMAIL_LIKE.test(activity.ownerId) ? activity.ownerId : undefined);

export const reminderKey = (activityId: string, dueAt: string) => `reminder#${activityId}#${dueAt}`;

/** The mail's subject and text; every stored text is one line (CR/LF in stored subjects cannot add a header or fake a line). */
export function reminderEmail(a: Activity, dueAt: string, names: { customer?: string | undefined; account?: string | undefined; opportunity?: string | undefined }): { subject: string; text: string } {
  const subject = headerSafe(a.subject);
  const related = [
    ...(a.customerId ? [`Customer: ${headerSafe(names.customer ?? `customer ${a.customerId}`)}`] : []),
    ...(a.accountId ? [`Account: ${headerSafe(names.account ?? `account ${a.accountId}`)}`] : []),
    ...(a.opportunityId ? [`Opportunity: ${headerSafe(names.opportunity ?? `opportunity ${a.opportunityId}`)}`] : []),
  ];
  return {
    subject: `[Reminder] ${subject}`,
    text: [`Your ${a.type} "${subject}" is due at ${dueAt}.`, '', `Type: ${a.type}`, `Subject: ${subject}`, `Due: ${dueAt}`, ...related, `Activity: ${a.id}`].join('\n'),
  };
}

export type ReminderMailOutcome = 'sent' | 'duplicate' | 'no-address' | 'not-due';

export function activityReminderMail(deps: { activities: Pick<ActivityRepository, 'get'>; names: RelatedNames; mailer: EmailSender; once: OnceGuard }) {
  return {
    /**
     * After ActivityDue for (activity, dueAt) was committed: mails the owner once. An activity that
     * was completed or moved meanwhile is no longer due (nothing is sent); an owner id that is not
     * an address gets nothing, and the caller logs why.
     */
    async send(activityId: string, dueAt: string, _context: CommandContext): Promise<ReminderMailOutcome> {
      const activity = await deps.activities.get(activityId);
      if (!reminderStands(activity, dueAt)) return 'not-due';
      const to = reminderRecipient(activity);
      if (!to) return 'no-address';
      const key = reminderKey(activityId, dueAt);
      return onceOnly(deps.once, key, async () => {
        const [customer, account, opportunity] = await Promise.all([
          activity.customerId ? deps.names.customer(activity.customerId) : undefined,
          activity.accountId ? deps.names.account(activity.accountId) : undefined,
          activity.opportunityId ? deps.names.opportunity(activity.opportunityId) : undefined,
        ]);
        const { subject, text } = reminderEmail(activity, dueAt, { customer, account, opportunity });
        // The key makes a retried send one recorded email (the gate records per delivery key).
        await deps.mailer.send({ to: [to], subject, text, kind: 'service', deliveryKey: key });
        return 'sent' as const;
      });
    },
  };
}

export type ActivityReminderMail = ReturnType<typeof activityReminderMail>;
