// Pure helpers of the SLA policy editor: the API's policy <-> the form's text fields, and the API's
// error paths -> the field that shows them. The rules (shift order, time zone, holidays as days)
// stay the API's: the form only turns text into the body's shape.

export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Day = (typeof DAYS)[number];
export const DAY_NAMES: Record<Day, string> = { mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday', sun: 'Sunday' };
export const PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
export type Priority = (typeof PRIORITIES)[number];

export interface SlaTarget {
  firstResponseMinutes: number;
  resolutionMinutes: number;
  calendar: 'business' | '24x7';
}

export interface SlaPolicyBody {
  timezone: string;
  /** Shifts per day, `[from, to]` each (the generated client types them as string lists). */
  businessHours: Record<string, string[][]>;
  holidays: string[];
  targets: Record<Priority, SlaTarget>;
  warnAtPercent: number;
}

export interface SlaPolicyForm {
  timezone: string;
  /** Per day: `09:00-12:00, 13:00-17:00`; empty means closed. */
  hours: Record<Day, string>;
  /** One day (YYYY-MM-DD) per line or separated by commas. */
  holidays: string;
  targets: Record<Priority, { firstResponseMinutes: string; resolutionMinutes: string; calendar: 'business' | '24x7' }>;
  warnAtPercent: string;
}

export function formOf(policy: SlaPolicyBody): SlaPolicyForm {
  const hours = Object.fromEntries(DAYS.map((d) => [d, (policy.businessHours[d] ?? []).map(([from = '', to = '']) => `${from}-${to}`).join(', ')])) as Record<Day, string>;
  const targets = Object.fromEntries(
    PRIORITIES.map((p) => {
      const t = policy.targets[p];
      return [p, { firstResponseMinutes: String(t.firstResponseMinutes), resolutionMinutes: String(t.resolutionMinutes), calendar: t.calendar }];
    }),
  ) as SlaPolicyForm['targets'];
  return { timezone: policy.timezone, hours, holidays: policy.holidays.join('\n'), targets, warnAtPercent: String(policy.warnAtPercent) };
}

const SHIFT = /^(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})$/;

/** `09:00-12:00, 13:00-17:00` -> shifts; a piece that is no `from-to` is named in the error. */
export function parseShifts(text: string): { shifts: [string, string][] } | { error: string } {
  const pieces = text.split(/[,;\n]/).map((s) => s.trim()).filter(Boolean);
  const shifts: [string, string][] = [];
  for (const piece of pieces) {
    const match = SHIFT.exec(piece);
    if (!match) return { error: `"${piece}" is not a shift: write 09:00-17:00, several separated by commas, or leave empty for closed` };
    shifts.push([match[1]!.padStart(5, '0'), match[2]!.padStart(5, '0')]);
  }
  return { shifts };
}

const asNumber = (text: string): number => (text.trim() === '' ? Number.NaN : Number(text));

/**
 * The PUT body of a form, and the errors of what the form itself parses (shift text). Numbers go
 * as typed (NaN when not a number), so the API's schema names them (validateRequestBody).
 */
export function bodyOf(form: SlaPolicyForm): { body: SlaPolicyBody; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const businessHours: Record<string, string[][]> = {};
  for (const day of DAYS) {
    const parsed = parseShifts(form.hours[day]);
    if ('error' in parsed) errors[`businessHours.${day}`] = parsed.error;
    else businessHours[day] = parsed.shifts;
  }
  const holidays = form.holidays.split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);
  const targets = Object.fromEntries(
    PRIORITIES.map((p) => {
      const t = form.targets[p];
      return [p, { firstResponseMinutes: asNumber(t.firstResponseMinutes), resolutionMinutes: asNumber(t.resolutionMinutes), calendar: t.calendar }];
    }),
  ) as Record<Priority, SlaTarget>;
  return { body: { timezone: form.timezone.trim(), businessHours, holidays, targets, warnAtPercent: asNumber(form.warnAtPercent) }, errors };
}

/**
 * The form field that shows an error the API (or the schema) names by path:
 * `businessHours.mon.0.1` -> `businessHours.mon`, `holidays.2` -> `holidays`,
 * `targets.high.resolutionMinutes` stays; anything else -> `form`.
 */
export function fieldOfPath(path: string): string {
  const parts = path.replace(/^\/|^body\./, '').split(/[./]/).filter(Boolean);
  if (parts[0] === 'businessHours' && parts[1]) return `businessHours.${parts[1]}`;
  if (parts[0] === 'holidays') return 'holidays';
  if (parts[0] === 'targets' && parts[1] && parts[2]) return `targets.${parts[1]}.${parts[2]}`;
  if (parts[0] === 'timezone' || parts[0] === 'warnAtPercent') return parts[0];
  return 'form';
}

/** Errors keyed by path -> errors keyed by form field (the first message per field wins). */
export function fieldErrors(errors: readonly { path: string; message: string }[] | Record<string, string>): Record<string, string> {
  const list = Array.isArray(errors) ? errors : Object.entries(errors).map(([path, message]) => ({ path, message }));
  const result: Record<string, string> = {};
  for (const { path, message } of list) result[fieldOfPath(path)] ??= message;
  return result;
}
