import * as z from '#domain/shared/zod.ts';
import { type BusinessCalendar, BusinessCalendarSchema, type Calendar } from './sla-calendar.ts';
import { type Priority, PRIORITIES } from './case.schema.ts';

// The SLA policy (admin, versioned): a new version applies to cases opened after it.

const Target = z.onFirstUse(() => z.strictObject({
  firstResponseMinutes: z.int().check(z.positive(), z.lte(525_600)),
  resolutionMinutes: z.int().check(z.positive(), z.lte(525_600)),
  calendar: z.enum(['business', '24x7']),
}));
export type SlaTarget = z.infer<typeof Target>;

export const SlaPolicyInput = z.onFirstUse(() => z
  .strictObject({
    timezone: z.string(),
    businessHours: z.record(z.string(), z.array(z.tuple([z.string(), z.string()]))),
    holidays: z._default(z.array(z.string()), []),
    targets: z.strictObject({ urgent: Target, high: Target, normal: Target, low: Target }),
    warnAtPercent: z._default(z.int().check(z.gte(1), z.lte(99)), 75),
  })
  .check(
    z.superRefine((policy, ctx) => {
      const calendar = BusinessCalendarSchema.safeParse({ timezone: policy.timezone, businessHours: policy.businessHours, holidays: policy.holidays });
      if (!calendar.success) for (const issue of calendar.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    }),
  )
  .register(z.globalRegistry, { id: 'SlaPolicyInput' }));
export type SlaPolicyInput = z.output<typeof SlaPolicyInput>;

export interface SlaPolicy {
  readonly version: number;
  readonly createdAt: string;
  readonly timezone: string;
  readonly businessHours: BusinessCalendar['businessHours'];
  readonly holidays: readonly string[];
  readonly targets: Readonly<Record<Priority, SlaTarget>>;
  readonly warnAtPercent: number;
}

export const SlaPolicyView = z.onFirstUse(() => z
  .object({
    version: z.int(),
    createdAt: z.string(),
    timezone: z.string(),
    businessHours: z.record(z.string(), z.array(z.tuple([z.string(), z.string()]))),
    holidays: z.array(z.string()),
    targets: z.object({ urgent: Target, high: Target, normal: Target, low: Target }),
    warnAtPercent: z.int(),
  })
  .register(z.globalRegistry, { id: 'SlaPolicy' }));

const WEEKDAY_9_TO_5: [string, string][] = [['09:00', '17:00']];

/** Version 0: in force until an admin saves the first policy. */
export const DEFAULT_SLA_POLICY: SlaPolicy = {
  version: 0,
  createdAt: '1970-01-01T00:00:00.000Z',
  timezone: 'UTC',
  businessHours: { mon: WEEKDAY_9_TO_5, tue: WEEKDAY_9_TO_5, wed: WEEKDAY_9_TO_5, thu: WEEKDAY_9_TO_5, fri: WEEKDAY_9_TO_5, sat: [], sun: [] },
  holidays: [],
  targets: {
    urgent: { firstResponseMinutes: 60, resolutionMinutes: 240, calendar: '24x7' },
    high: { firstResponseMinutes: 240, resolutionMinutes: 1440, calendar: 'business' },
    normal: { firstResponseMinutes: 480, resolutionMinutes: 2880, calendar: 'business' },
    low: { firstResponseMinutes: 1440, resolutionMinutes: 7200, calendar: 'business' },
  },
  warnAtPercent: 75,
};

export function newPolicyVersion(input: SlaPolicyInput, previous: SlaPolicy, now: Date): SlaPolicy {
  return {
    version: previous.version + 1,
    createdAt: now.toISOString(),
    timezone: input.timezone,
    businessHours: input.businessHours as unknown as BusinessCalendar['businessHours'],
    holidays: [...input.holidays],
    targets: input.targets,
    warnAtPercent: input.warnAtPercent,
  };
}

export function calendarFor(policy: SlaPolicy, priority: Priority): Calendar {
  return policy.targets[priority].calendar === '24x7'
    ? { kind: '24x7' }
    : { kind: 'business', timezone: policy.timezone, businessHours: policy.businessHours, holidays: policy.holidays };
}

export { PRIORITIES };
