import * as z from '#domain/shared/zod.ts';

// Working-time arithmetic for SLA due times (issue 4, "SLA policy"). Pure: instants in, instants
// out; time zones through the built-in Intl API only.
//
// Model. A business calendar opens intervals of local wall-clock time ("09:00"-"17:00") on the
// local days that are not holidays. Each interval is turned into the real instants at which the
// wall clock shows its start and its end, and only real elapsed time between them counts. So on a
// DST day a 09:00-17:00 interval is still 8 hours, an interval across the skipped hour is an hour
// shorter and one across the repeated hour an hour longer. A local time that does not exist
// (spring forward) means the first instant after the gap; an ambiguous one (fall back) means the
// earlier of its two instants.
//
// Intervals are half-open, [opening, closing): the closing instant itself is not working time.
//
// Boundary convention of addWorkingMinutes(calendar, start, m):
// - m = 0 returns `start` when it is working time, otherwise the next opening instant, so a due
//   time never lands in closed hours.
// - m > 0 returns the instant the m-th working minute completes. That can be exactly a closing
//   instant (09:00 + 480 minutes on a 9-17 day is 17:00 that day, not 09:00 the next working day),
//   but never an instant strictly inside closed hours.
// Consequences the tests check: add(add(s, a), b) === add(s, a + b) for every a >= 0 and b >= 1
// (a closing instant is followed by the next opening, where the next minute starts); and
// workingMinutesBetween(s, add(s, m)) === m for every s.

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export interface BusinessCalendar {
  /** IANA time zone the hours and holidays are read in. */
  readonly timezone: string;
  /** "HH:MM" 24-hour local times, end may be "24:00"; [] = closed; sorted, non-overlapping. */
  readonly businessHours: Readonly<Record<Weekday, readonly (readonly [string, string])[]>>;
  /** ISO dates "YYYY-MM-DD" (local to `timezone`) closed all day. */
  readonly holidays: readonly string[];
}

export type Calendar = { readonly kind: '24x7' } | ({ readonly kind: 'business' } & BusinessCalendar);

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;
/** How far ahead addWorkingMinutes looks before giving up: about ten years of local days. */
const MAX_SCAN_DAYS = 3660;

/** The instant `minutes` (a whole number >= 0) working minutes after `start`; see the boundary convention above. */
export function addWorkingMinutes(calendar: Calendar, start: Date, minutes: number): Date {
  const from = instantOf(start, 'start');
  if (!Number.isSafeInteger(minutes) || minutes < 0) throw new RangeError(`minutes must be a whole number >= 0, got ${minutes}`);
  if (calendar.kind === '24x7') return new Date(from + minutes * MINUTE);
  const hours = compile(calendar);
  if (hours.week.every((day) => day.length === 0)) throw new Error('The calendar has no working hours');
  const zone = zoneOf(calendar.timezone);
  let remaining = minutes * MINUTE;
  let seen = false;
  for (const [opens, closes] of workingIntervals(hours, zone, from, zone.localDay(from) + MAX_SCAN_DAYS)) {
    seen = true;
    if (remaining === 0) return new Date(opens);
    if (remaining <= closes - opens) return new Date(opens + remaining);
    remaining -= closes - opens;
  }
  if (!seen) throw new Error('The calendar has no working hours');
  throw new RangeError(`${minutes} working minutes after ${start.toISOString()} go beyond the ten years the calendar is searched`);
}

/** Working minutes in [from, to), 0 when to <= from. Exact: milliseconds / 60000, so it may be fractional. */
export function workingMinutesBetween(calendar: Calendar, from: Date, to: Date): number {
  const begin = instantOf(from, 'from');
  const end = instantOf(to, 'to');
  if (end <= begin) return 0;
  if (calendar.kind === '24x7') return (end - begin) / MINUTE;
  const zone = zoneOf(calendar.timezone);
  let total = 0;
  for (const [opens, closes] of workingIntervals(compile(calendar), zone, begin, zone.localDay(end) + 1)) {
    if (opens >= end) break;
    total += Math.min(closes, end) - opens;
  }
  return total / MINUTE;
}

/** True when `at` lies inside an open interval (openings count, closings do not). */
export function isWorkingTime(calendar: Calendar, at: Date): boolean {
  const t = instantOf(at, 'at');
  if (calendar.kind === '24x7') return true;
  const zone = zoneOf(calendar.timezone);
  for (const [opens] of workingIntervals(compile(calendar), zone, t, zone.localDay(t) + 1)) return opens === t;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Validation (PUT /sla-policy)

const HH_MM = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
const isStart = (value: string) => HH_MM.test(value);
const isEnd = (value: string) => HH_MM.test(value) || value === '24:00';

const isIanaTimeZone = (value: string) => {
  // Intl also accepts UTC offsets such as "+01:00"; those follow no DST rules, so they are refused.
  if (/^[+-]/.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
};

const Interval = z.onFirstUse(() => z
  .tuple(
    [
      z.string().check(z.refine(isStart, 'must be a 24-hour time "HH:MM" from 00:00 to 23:59')),
      z.string().check(z.refine(isEnd, 'must be a 24-hour time "HH:MM" from 00:00 to 24:00')),
    ],
    { error: 'must be an interval ["HH:MM", "HH:MM"]' },
  )
  .check(
    z.refine(([opens, closes]) => !isStart(opens) || !isEnd(closes) || minuteOfDay(opens) < minuteOfDay(closes), {
      message: 'must end after it starts',
    }),
  ));

const Day = z.onFirstUse(() => z
  .array(Interval, {
    error: (issue) => (issue.input === undefined ? 'is required: a list of intervals, [] when closed all day' : 'must be a list of intervals ["HH:MM", "HH:MM"]'),
  })
  .check(
    z.superRefine((intervals, ctx) => {
      for (let i = 1; i < intervals.length; i++) {
        const previous = intervals[i - 1]!;
        const current = intervals[i]!;
        if (isEnd(previous[1]) && isStart(current[0]) && minuteOfDay(current[0]) < minuteOfDay(previous[1])) {
          ctx.addIssue({
            code: 'custom',
            path: [i],
            message: `must not start before ${previous[1]}, where the previous interval ends (intervals are sorted and do not overlap)`,
          });
        }
      }
    }),
  ));

const BusinessHours = z.onFirstUse(() => z
  .strictObject({ mon: Day, tue: Day, wed: Day, thu: Day, fri: Day, sat: Day, sun: Day }, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `has unknown ${issue.keys.length === 1 ? 'key' : 'keys'} ${issue.keys.map((key) => `"${key}"`).join(', ')}: the keys are mon to sun`
        : 'must be an object with the keys mon to sun',
  })
  .check(z.refine((week) => WEEKDAYS.some((day) => week[day].length > 0), 'must open on at least one day of the week')));

const Holidays = z.onFirstUse(() => z
  .array(z.iso.date({ error: 'must be a valid ISO date "YYYY-MM-DD" such as 2025-12-25' }), { error: 'must be a list of ISO dates' })
  .check(
    z.maxLength(1000, 'at most 1000 holidays'),
    z.superRefine((dates, ctx) => {
      const seen = new Set<string>();
      dates.forEach((date, i) => {
        if (seen.has(date)) ctx.addIssue({ code: 'custom', path: [i], message: `repeats ${date}` });
        seen.add(date);
      });
    }),
  ));

/**
 * Input validation for a business calendar (the calendar half of PUT /sla-policy). An object
 * schema, so a policy schema can extend it (z.extend); issue paths name the field, e.g.
 * ["businessHours", "mon", 1].
 */
export const BusinessCalendarSchema = z.onFirstUse(() => z.strictObject({
  timezone: z
    .string({ error: 'must be an IANA time zone such as Europe/Berlin' })
    .check(z.refine(isIanaTimeZone, 'must be an IANA time zone such as Europe/Berlin')),
  businessHours: BusinessHours,
  holidays: Holidays,
})) satisfies z.ZodMiniType<BusinessCalendar>;

// ---------------------------------------------------------------------------------------------
// Calendar internals. Local days are numbered like the epoch days of UTC (day 0 = 1970-01-01),
// and a local wall time is handled as the epoch milliseconds the same reading would have in UTC.

interface CompiledHours {
  /** Index 0 = Monday; intervals as [opening, closing] minutes of the local day (closing <= 1440). */
  readonly week: readonly (readonly (readonly [number, number])[])[];
  readonly holidays: ReadonlySet<number>;
}

function compile(calendar: BusinessCalendar): CompiledHours {
  const week = WEEKDAYS.map((day) =>
    (calendar.businessHours[day] ?? [])
      .map(([opens, closes]): [number, number] => {
        if (!isStart(opens) || !isEnd(closes)) throw new RangeError(`Invalid business hours on ${day}: ${opens}-${closes}`);
        return [minuteOfDay(opens), minuteOfDay(closes)];
      })
      .sort((a, b) => a[0] - b[0]),
  );
  const holidays = new Set(calendar.holidays.map(dayNumberOfIsoDate));
  return { week, holidays };
}

function minuteOfDay(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

function dayNumberOfIsoDate(iso: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) throw new RangeError(`Invalid holiday date: ${iso}`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / DAY;
}

/** 1970-01-01 was a Thursday; index 0 = Monday as in WEEKDAYS. */
const weekdayIndex = (day: number) => (((day + 3) % 7) + 7) % 7;

/**
 * The working intervals, as [opening, closing) instants in ascending order, that end after
 * `from`, the first one clipped to start no earlier than `from`, for local days up to `lastDay`.
 * Starts a day early as cheap insurance for zones whose clocks jump across midnight, where the
 * local date of an instant need not be the day whose interval it falls in.
 */
function* workingIntervals(hours: CompiledHours, zone: Zone, from: number, lastDay: number): Generator<readonly [number, number]> {
  let cursor = from;
  for (let day = zone.localDay(from) - 1; day <= lastDay; day++) {
    if (hours.holidays.has(day)) continue;
    for (const [openMinute, closeMinute] of hours.week[weekdayIndex(day)]!) {
      const opens = Math.max(cursor, zone.instant(day, openMinute));
      const closes = zone.instant(day, closeMinute);
      // Empty when the interval lies in a skipped hour or was already passed.
      if (closes <= opens) continue;
      cursor = closes;
      yield [opens, closes];
    }
  }
}

interface Zone {
  /** The local day number of an instant. */
  localDay(instant: number): number;
  /** The instant the wall clock shows `minute` (0..1440) of local `day`, per the DST rules above. */
  instant(day: number, minute: number): number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** One per call: Intl lookups cost microseconds, so the offset samples a day walk reuses are kept. */
function zoneOf(timeZone: string): Zone {
  const formatter = formatterFor(timeZone);
  const wallClock = (instant: number) => {
    let year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0;
    for (const { type, value } of formatter.formatToParts(instant)) {
      if (type === 'year') year = Number(value);
      else if (type === 'month') month = Number(value);
      else if (type === 'day') day = Number(value);
      else if (type === 'hour') hour = Number(value);
      else if (type === 'minute') minute = Number(value);
      else if (type === 'second') second = Number(value);
    }
    return Date.UTC(year, month - 1, day, hour, minute, second) + (((instant % SECOND) + SECOND) % SECOND);
  };
  /** UTC offset in force at an instant, in milliseconds (wall clock minus instant). */
  const offsetAt = (instant: number) => wallClock(instant) - instant;
  const samples = new Map<number, number>();
  /** The offset a day before local midnight starting `day` (read as UTC). */
  const sample = (day: number) => {
    let offset = samples.get(day);
    if (offset === undefined) {
      offset = offsetAt((day - 1) * DAY);
      samples.set(day, offset);
    }
    return offset;
  };

  function resolve(wall: number): number {
    const before = offsetAt(wall - DAY);
    const after = offsetAt(wall + DAY);
    let earliest: number | undefined;
    for (const offset of before === after ? [before] : [before, after]) {
      const candidate = wall - offset;
      if (offsetAt(candidate) === offset && (earliest === undefined || candidate < earliest)) earliest = candidate;
    }
    if (earliest !== undefined) return earliest;
    // The wall time was skipped: the first instant after the gap is the transition itself.
    let lo = wall - Math.max(before, after);
    let hi = wall - Math.min(before, after);
    const offsetBefore = offsetAt(lo);
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (offsetAt(mid) === offsetBefore) lo = mid;
      else hi = mid;
    }
    return hi;
  }

  return {
    localDay: (instant) => Math.floor(wallClock(instant) / DAY),
    instant(day, minute) {
      const wall = day * DAY + minute * MINUTE;
      // Any instant showing a wall time of `day` lies within [local midnight - 14 h, next local
      // midnight + 12 h]. If the offset is the same a day before and a day after that, no
      // transition falls in between (zones do not change and change back within three days).
      const offset = sample(day);
      return offset === sample(day + 3) ? wall - offset : resolve(wall);
    },
  };
}

function instantOf(date: Date, name: string): number {
  const t = date.getTime();
  if (Number.isNaN(t)) throw new RangeError(`${name} must be a valid date`);
  return t;
}
