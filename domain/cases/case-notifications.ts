import type { EmailSender } from '../shared/email.ts';
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

/** Port: an event id is handled once, even when delivered twice. */
export interface OnceGuard {
  claim(key: string): Promise<boolean>;
  release(key: string): Promise<void>;
}

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
  const head = `${c.number}: ${c.subject}`;
  const facts = [`Case: ${c.number}`, `Subject: ${c.subject}`, `Customer: ${customer}`, `Queue: ${c.queue}`, `Priority: ${c.priority}`, `Status: ${c.status}`];
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
    /** Sends the notice for `eventId` once; a failed send releases the claim so a retry sends it. */
    async notify(eventId: string, notice: CaseNotice): Promise<'sent' | 'duplicate' | 'nobody'> {
      // Claim first: a duplicate delivery then costs one conditional write and nothing else.
      const key = `notice#${eventId}`;
      if (!(await deps.once.claim(key))) return 'duplicate';
      try {
        const c = await deps.cases.get(notice.caseId);
        const names = c ? [...new Set([c.queue, ...(notice.type === 'escalated' ? [notice.fromQueue] : [])])] : [];
        const to = c ? recipients(notice, c, await Promise.all(names.map((name) => deps.cases.queue(name)))) : [];
        if (!c || to.length === 0) {
          await deps.once.release(key); // nobody to tell: leave no claim behind
          return 'nobody';
        }
        const { subject, text } = noticeEmail(notice, c, await deps.customers.label(c.customerId));
        await deps.mailer.send({ to, subject, text, kind: 'service' });
        return 'sent';
      } catch (error) {
        await deps.once.release(key);
        throw error;
      }
    },
  };
}
