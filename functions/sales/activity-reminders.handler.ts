import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { type ActivityReminderMail, activityReminderMail } from '#domain/sales/activity-reminder.ts';
import type { ActivityUseCases } from '#domain/sales/activity.use-cases.ts';
import type { Clock, IdGenerator } from '#domain/shared/ports.ts';
import * as z from '#domain/shared/zod.ts';
import { gatedServiceSender, gateFor } from '../consent/consent.composition.ts';
import type { Db } from '../shared/db.ts';
import { dynamoOnceGuard } from '../shared/once-guard.ts';
import type { SesConfig } from '../shared/ses-mailer.ts';
import { unscheduledActivitiesFor } from './activity.composition.ts';
import { dynamoActivityRepository } from './activity.dynamodb-repository.ts';
import { dynamoRelatedNames } from './related-names.dynamodb.ts';
import { log } from '../shared/log.ts';

// The activityReminders function: the target of an activity's one-off schedule `activity-<id>`,
// invoked at its dueAt with the bare input the sales function scheduled. It commits ActivityDue
// (once per activity and dueAt), then mails the owner. A thrown error makes Scheduler retry the
// delivery; the once-marker keeps a retried one from recording twice, and the mail's once-claim
// from mailing twice, while a mail that failed after the commit is sent by the retry.

const Fired = z.onFirstUse(() => z.strictObject({ activityId: z.string().check(z.minLength(1), z.maxLength(128)), dueAt: z.iso.datetime() }));

interface Reminders {
  readonly remind: ActivityUseCases['remind'];
  readonly mail: ActivityReminderMail;
}

/** The use cases the function needs (the Lambda and the local runtime build them alike); it schedules nothing itself. */
export function activityRemindersFor(infra: Db & { ids: IdGenerator; clock: Clock }, ses: SESv2Client, email: SesConfig): Reminders {
  const activities = dynamoActivityRepository(infra);
  return {
    remind: unscheduledActivitiesFor(infra).remind,
    // Service mail to staff passes the one gate (a suppressed address is never mailed), as case notices do.
    mail: activityReminderMail({ activities, names: dynamoRelatedNames(infra), mailer: gatedServiceSender(gateFor(infra, ses, email)), once: dynamoOnceGuard(infra.client, infra.tableName, infra.clock) }),
  };
}

export function activityRemindersHandler(reminders: Reminders) {
  return async (input: unknown) => {
    const { activityId, dueAt } = Fired.parse(input);
    const context = { correlationId: `activity-${activityId}` };
    const outcome = await reminders.remind(activityId, dueAt, context);
    // `already-reminded`: an earlier delivery committed ActivityDue and may have failed to mail.
    const mail = outcome === 'stale' ? 'not-due' : await reminders.mail.send(activityId, dueAt, context);
    // Ids and outcomes only (`mail: no-address` when the owner id is not an email address).
    log('info', 'activity reminder', { activityId, outcome, mail });
    return { outcome, mail };
  };
}
