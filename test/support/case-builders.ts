import { changeCase, openCase } from '../../domain/cases/case.ts';
import type { Case, CaseStatus, CreateCaseInput } from '../../domain/cases/case.schema.ts';
import { DEFAULT_SLA_POLICY, type SlaPolicy } from '../../domain/cases/sla-policy.ts';
import type { DomainEvent } from '../../events/define-event.ts';

// Shared fixtures of the cases tests: a round-number 24x7 policy, case inputs and paths to a status.

export const MINUTE = 60_000;

/** Every target on the 24x7 calendar, so due times are plain additions. */
export const ROUND_POLICY: SlaPolicy = {
  ...DEFAULT_SLA_POLICY,
  version: 1,
  createdAt: '2025-01-01T00:00:00.000Z',
  targets: {
    urgent: { firstResponseMinutes: 60, resolutionMinutes: 240, calendar: '24x7' },
    high: { firstResponseMinutes: 120, resolutionMinutes: 480, calendar: '24x7' },
    normal: { firstResponseMinutes: 240, resolutionMinutes: 960, calendar: '24x7' },
    low: { firstResponseMinutes: 480, resolutionMinutes: 1440, calendar: '24x7' },
  },
  warnAtPercent: 75,
};

/** Personal text that must never leave the case in an event. */
export const SUBJECT = 'Parcel 7731 missing at Ada Lovelace';
export const DESCRIPTION = 'Left at the door of 12 Analytical Lane';

export const caseInput = (extra: Partial<CreateCaseInput> = {}): CreateCaseInput => ({
  customerId: 'cust-1',
  subject: SUBJECT,
  description: DESCRIPTION,
  priority: 'normal',
  channel: 'email',
  queue: 'support',
  ...extra,
});

export const at = (iso: string) => new Date(iso);
export const plus = (start: Date | string, minutes: number) => new Date(new Date(start).getTime() + minutes * MINUTE);
export const iso = (start: Date | string, minutes: number) => plus(start, minutes).toISOString();

export const T0 = '2025-01-15T10:00:00.000Z';

export function opened(extra: Partial<CreateCaseInput> = {}, options: { policy?: SlaPolicy; at?: string; id?: string; number?: number } = {}): Case {
  return openCase(caseInput(extra), options.id ?? 'case-1', options.number ?? 1042, at(options.at ?? T0), options.policy ?? ROUND_POLICY).case;
}

/** Applies a patch and returns the change (throws what the entity throws). */
export const patched = (c: Case, patch: Parameters<typeof changeCase>[1], minutesAfterT0: number, policy: SlaPolicy = ROUND_POLICY): ReturnType<typeof changeCase> =>
  changeCase(c, patch, plus(T0, minutesAfterT0), policy);

/** A case in `status`, reached through allowed moves only. */
export function inStatus(status: CaseStatus, policy: SlaPolicy = ROUND_POLICY): Case {
  const fresh = opened({}, { policy });
  const path: Record<CaseStatus, CaseStatus[]> = { open: [], pending: ['pending'], on_hold: ['on_hold'], solved: ['solved'], closed: ['solved', 'closed'] };
  return path[status].reduce((c, next, i) => patched(c, { status: next }, i + 1, policy).case, fresh);
}

/** [detail-type, data] of each event, for readable assertions. */
export const summary = (events: readonly DomainEvent[]) => events.map((e) => [e.definition.detailType, e.data] as const);
