import { type EmailSender, headerSafe } from '../shared/email.ts';
import { onceOnly } from '../shared/once.ts';
import type { OnceGuard } from '../shared/ports.ts';
import type { CaseRepository } from './case.repository.ts';
import type { Case, Queue } from './case.schema.ts';

// Who hears about what: escalations and urgent cases go to the queue's managers, SLA warnings to
// the assignee (or the managers when the case has no reachable assignee). At most once per event.
// Recipients follow the case as it is when the notice goes out: after an escalation moved it, its
// new assignee and the new queue's managers, never the agent it left.

/** Port: names a customer for staff email (e.g. "Ada Lovelace <ada@example.com>"). */
export interface CustomerDirectory {
  label(customerId: string): Promise<string>;
}

export type { OnceGuard } from '../shared/ports.ts';

export type CaseNotice =
  | {
      readonly type: 'escalated';
      readonly caseId: string;
      readonly level: number;
      readonly minutesLate: number;
      readonly milestone: string;
      readonly dueAt: string;
      /** The queue the case was breached in (its managers hear of it too when it moves on). */
      readonly fromQueue: string;
    }
  | { readonly type: 'warning'; readonly caseId: string; readonly milestone: string; readonly dueAt: string }
  | { readonly type: 'urgent'; readonly caseId: string };

const EMAIL_LIKE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const MILESTONE_NAMES: Record<string, string> = { firstResponse: 'first response', resolution: 'resolution' };

export function noticeEmail(notice: CaseNotice, c: Case, customer: string): { subject: string; text: string } {
  // Stored text may hold CR/LF (the API trims, it does not refuse them): one line each, here too.
  const subject = headerSafe(c.subject);
  const head = `${c.number}: ${subject}`;
  const facts = [`Case: ${c.number}`, `Subject: ${subject}`, `Customer: ${headerSafe(customer)}`, `Queue: ${c.queue}`, `Priority: ${c.priority}`, `Status: ${c.status}`];
  switch (notice.type) {
    case 'escalated':
      return {
        subject: `[Escalated, level ${notice.level}] ${head}`,
        text: [
          `The ${MILESTONE_NAMES[notice.milestone]} target of this case was missed by ${notice.minutesLate} minute(s) (due ${notice.dueAt}).`,
          `It is now escalation level ${notice.level}.`,
          '',
          ...facts,
        ].join('\n'),
      };
    case 'warning':
      return {
        subject: `[SLA warning] ${head}`,
        text: [`The ${MILESTONE_NAMES[notice.milestone]} of this case is due at ${notice.dueAt}.`, '', ...facts].join('\n'),
      };
    case 'urgent':
      return { subject: `[Urgent] ${head}`, text: ['An urgent case needs attention now.', '', ...facts].join('\n') };
  }
}

export function recipients(notice: CaseNotice, c: Case, queues: readonly (Queue | undefined)[]): string[] {
  const assignee = c.assigneeId && EMAIL_LIKE.test(c.assigneeId) ? c.assigneeId : undefined;
  if (notice.type === 'warning' && assignee) return [assignee];
  const managers = queues.flatMap((q) => q?.managers ?? []);
  // The agent now holding an escalated case hears of it with the managers.
  return [...new Set(notice.type === 'escalated' && assignee ? [...managers, assignee] : managers)];
}

export function caseNotifications(deps: { cases: CaseRepository; customers: CustomerDirectory; mailer: EmailSender; once: OnceGuard }) {
  return {
    /**
     * Sends the notice for `eventId` once: claimed per event, marked done only after the mail was
     * accepted, given up on failure so the retry sends it (the delivery is retried until it is).
     */
    async notify(eventId: string, notice: CaseNotice): Promise<'sent' | 'duplicate' | 'nobody'> {
      const key = `notice#${eventId}`;
      const c = await deps.cases.get(notice.caseId);
      const names = c ? [...new Set([c.queue, ...(notice.type === 'escalated' ? [notice.fromQueue] : [])])] : [];
      const to = c ? recipients(notice, c, await Promise.all(names.map((name) => deps.cases.queue(name)))) : [];
      if (!c || to.length === 0) return 'nobody'; // nobody to tell: leave no claim behind
      return onceOnly(deps.once, key, async () => {
        const { subject, text } = noticeEmail(notice, c, await deps.customers.label(c.customerId));
        // The key makes a retried send one recorded email (the gate records per delivery key).
        await deps.mailer.send({ to, subject, text, kind: 'service', deliveryKey: key });
        return 'sent' as const;
      });
    },
  };
}
