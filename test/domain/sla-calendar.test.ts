import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addWorkingMinutes,
  type BusinessCalendar,
  BusinessCalendarSchema,
  type Calendar,
  isWorkingTime,
  type Weekday,
  WEEKDAYS,
  workingMinutesBetween,
} from '../../domain/cases/sla-calendar.ts';

// Expected instants are worked out by hand from the zones' rules: Europe/Berlin is UTC+1 (CET)
// and UTC+2 (CEST) from 2025-03-30 02:00 to 2025-10-26 03:00 local; America/New_York is UTC-5
// (EST) and UTC-4 (EDT) from 2025-03-09 02:00 to 2025-11-02 02:00 local; Asia/Kolkata is UTC+5:30.

const BERLIN = 'Europe/Berlin';
const NEW_YORK = 'America/New_York';
const KOLKATA = 'Asia/Kolkata';

type Interval = [string, string];
type Hours = BusinessCalendar['businessHours'];

const week = (days: Partial<Record<Weekday, Interval[]>>): Hours => ({ mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [], ...days });
const weekdays = (intervals: Interval[], extra: Partial<Record<Weekday, Interval[]>> = {}): Hours =>
  week({ mon: intervals, tue: intervals, wed: intervals, thu: intervals, fri: intervals, ...extra });
const everyDay = (intervals: Interval[]): Hours => weekdays(intervals, { sat: intervals, sun: intervals });
const business = (timezone: string, businessHours: Hours, holidays: string[] = []): Calendar => ({ kind: 'business', timezone, businessHours, holidays });
const ALWAYS: Calendar = { kind: '24x7' };

const add = (calendar: Calendar, start: string, minutes: number) => addWorkingMinutes(calendar, new Date(start), minutes).toISOString();
const between = (calendar: Calendar, from: string, to: string) => workingMinutesBetween(calendar, new Date(from), new Date(to));
const working = (calendar: Calendar, at: string) => isWorkingTime(calendar, new Date(at));

const berlinOffice = business(BERLIN, weekdays([['09:00', '17:00']]));

describe('addWorkingMinutes on a business calendar', () => {
  // Week of Monday 2025-06-02, Berlin on CEST (UTC+2).
  it('adds minutes within one business day', () => {
    expect(add(berlinOffice, '2025-06-02T07:00:00.000Z', 60)).toBe('2025-06-02T08:00:00.000Z');
  });

  it('carries the rest of the budget over the weekend', () => {
    expect(add(berlinOffice, '2025-06-06T14:30:00.000Z', 60)).toBe('2025-06-09T07:30:00.000Z');
  });

  it('skips the lunch break of a split shift', () => {
    const split = business(BERLIN, weekdays([['09:00', '12:30'], ['13:30', '17:00']]));
    expect(add(split, '2025-06-02T10:00:00.000Z', 60)).toBe('2025-06-02T12:00:00.000Z');
  });

  it('starts counting on Monday when the start is on a Saturday', () => {
    expect(add(berlinOffice, '2025-06-07T08:00:00.000Z', 60)).toBe('2025-06-09T08:00:00.000Z');
  });

  it('skips a holiday Monday', () => {
    const withWhitMonday = business(BERLIN, weekdays([['09:00', '17:00']]), ['2025-06-09']);
    expect(add(withWhitMonday, '2025-06-06T14:30:00.000Z', 60)).toBe('2025-06-10T07:30:00.000Z');
  });

  it('reads holidays as local dates of the calendar time zone', () => {
    // 2025-12-25 in Kolkata starts at 2025-12-24T18:30Z.
    const kolkata = business(KOLKATA, everyDay([['00:00', '24:00']]), ['2025-12-25']);
    expect(add(kolkata, '2025-12-24T18:00:00.000Z', 60)).toBe('2025-12-25T19:00:00.000Z');
  });

  it('works in Asia/Kolkata (UTC+5:30)', () => {
    const kolkata = business(KOLKATA, weekdays([['09:30', '13:00'], ['14:00', '18:30']]));
    expect(add(kolkata, '2025-06-02T04:00:00.000Z', 240)).toBe('2025-06-02T09:00:00.000Z');
  });

  it('ends exactly at closing time when the budget runs out there (documented convention)', () => {
    expect(add(berlinOffice, '2025-06-02T07:00:00.000Z', 480)).toBe('2025-06-02T15:00:00.000Z');
  });

  it('continues from a closing instant at the next opening', () => {
    expect(add(berlinOffice, '2025-06-02T15:00:00.000Z', 1)).toBe('2025-06-03T07:01:00.000Z');
    expect(add(berlinOffice, '2025-06-02T07:00:00.000Z', 481)).toBe('2025-06-03T07:01:00.000Z');
  });

  it('treats an interval ending at 24:00 and one starting at 00:00 the next day as continuous', () => {
    const nights = business('UTC', week({ mon: [['22:00', '24:00']], tue: [['00:00', '02:00']] }));
    expect(add(nights, '2025-06-02T23:00:00.000Z', 120)).toBe('2025-06-03T01:00:00.000Z');
    expect(add(nights, '2025-06-02T22:00:00.000Z', 120)).toBe('2025-06-03T00:00:00.000Z');
    expect(add(nights, '2025-06-02T22:00:00.000Z', 240)).toBe('2025-06-03T02:00:00.000Z');
    expect(add(nights, '2025-06-03T02:00:00.000Z', 1)).toBe('2025-06-09T22:01:00.000Z');
  });

  it('walks day by day: 7200 business minutes are fifteen business days', () => {
    expect(add(berlinOffice, '2025-06-02T07:00:00.000Z', 7200)).toBe('2025-06-20T15:00:00.000Z');
  });

  it('keeps seconds and milliseconds of the start', () => {
    expect(add(berlinOffice, '2025-06-02T07:10:20.345Z', 30)).toBe('2025-06-02T07:40:20.345Z');
  });

  describe('with zero minutes', () => {
    it('returns the start when it is working time', () => {
      expect(add(berlinOffice, '2025-06-02T10:15:00.000Z', 0)).toBe('2025-06-02T10:15:00.000Z');
      expect(add(berlinOffice, '2025-06-02T07:00:00.000Z', 0)).toBe('2025-06-02T07:00:00.000Z');
    });

    it('moves a start before opening to the opening', () => {
      expect(add(berlinOffice, '2025-06-02T05:00:00.000Z', 0)).toBe('2025-06-02T07:00:00.000Z');
    });

    it('moves a start at closing time to the next opening', () => {
      expect(add(berlinOffice, '2025-06-02T15:00:00.000Z', 0)).toBe('2025-06-03T07:00:00.000Z');
    });

    it('moves a weekend start to Monday morning', () => {
      expect(add(berlinOffice, '2025-06-08T12:00:00.000Z', 0)).toBe('2025-06-09T07:00:00.000Z');
    });
  });

  it('throws when the calendar has no working hours at all', () => {
    expect(() => addWorkingMinutes(business(BERLIN, week({})), new Date('2025-06-02T07:00:00Z'), 60)).toThrow('The calendar has no working hours');
  });

  it('gives up with a RangeError beyond about ten years instead of looping', () => {
    // 40 hours a week: 10,000,000 minutes are about 80 years.
    expect(() => addWorkingMinutes(berlinOffice, new Date('2025-06-02T07:00:00Z'), 10_000_000)).toThrow(RangeError);
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects %s minutes', (minutes) => {
    expect(() => addWorkingMinutes(berlinOffice, new Date('2025-06-02T07:00:00Z'), minutes)).toThrow(RangeError);
  });

  it('rejects an invalid start date', () => {
    expect(() => addWorkingMinutes(berlinOffice, new Date('not a date'), 60)).toThrow(RangeError);
  });
});

describe('addWorkingMinutes on a 24x7 calendar', () => {
  it('adds plain minutes across the spring-forward night', () => {
    // 2025-03-30 00:00 CET plus 24 real hours is 2025-03-31 01:00 CEST.
    expect(add(ALWAYS, '2025-03-29T23:00:00.000Z', 1440)).toBe('2025-03-30T23:00:00.000Z');
  });

  it('adds plain minutes across the fall-back night', () => {
    expect(add(ALWAYS, '2025-11-01T12:00:00.000Z', 1440)).toBe('2025-11-02T12:00:00.000Z');
  });

  it('returns the start for zero minutes', () => {
    expect(add(ALWAYS, '2025-06-07T03:04:05.006Z', 0)).toBe('2025-06-07T03:04:05.006Z');
  });
});

describe('workingMinutesBetween', () => {
  it('counts a full business day', () => {
    expect(between(berlinOffice, '2025-06-02T07:00:00.000Z', '2025-06-02T15:00:00.000Z')).toBe(480);
  });

  it('counts only business hours across a weekend', () => {
    // Friday 12:00-17:00 and Monday 09:00-12:00.
    expect(between(berlinOffice, '2025-06-06T10:00:00.000Z', '2025-06-09T10:00:00.000Z')).toBe(480);
  });

  it('leaves out the lunch break and holidays', () => {
    const split = business(BERLIN, weekdays([['09:00', '12:30'], ['13:30', '17:00']]), ['2025-06-03']);
    expect(between(split, '2025-06-02T07:00:00.000Z', '2025-06-04T15:00:00.000Z')).toBe(840);
  });

  it('returns exact fractions of a minute', () => {
    expect(between(berlinOffice, '2025-06-02T07:00:00.000Z', '2025-06-02T07:00:30.000Z')).toBe(0.5);
  });

  it('returns 0 when `to` is not after `from`', () => {
    expect(between(berlinOffice, '2025-06-02T10:00:00.000Z', '2025-06-02T08:00:00.000Z')).toBe(0);
    expect(between(berlinOffice, '2025-06-02T10:00:00.000Z', '2025-06-02T10:00:00.000Z')).toBe(0);
  });

  it('counts plain minutes on a 24x7 calendar', () => {
    expect(between(ALWAYS, '2025-03-29T23:00:00.000Z', '2025-03-30T22:00:00.000Z')).toBe(1380);
  });
});

describe('isWorkingTime', () => {
  it('includes the opening instant and excludes the closing instant', () => {
    expect(working(berlinOffice, '2025-06-02T07:00:00.000Z')).toBe(true);
    expect(working(berlinOffice, '2025-06-02T06:59:59.999Z')).toBe(false);
    expect(working(berlinOffice, '2025-06-02T14:59:59.999Z')).toBe(true);
    expect(working(berlinOffice, '2025-06-02T15:00:00.000Z')).toBe(false);
  });

  it('is false on weekends and holidays', () => {
    expect(working(berlinOffice, '2025-06-07T10:00:00.000Z')).toBe(false);
    expect(working(business(BERLIN, weekdays([['09:00', '17:00']]), ['2025-06-09']), '2025-06-09T10:00:00.000Z')).toBe(false);
  });

  it('decides holidays by the local date', () => {
    const allDay = business(BERLIN, everyDay([['00:00', '24:00']]), ['2025-12-25']);
    expect(working(allDay, '2025-12-24T22:59:59.999Z')).toBe(true);
    expect(working(allDay, '2025-12-24T23:00:00.000Z')).toBe(false);
    expect(working(allDay, '2025-12-25T22:59:59.999Z')).toBe(false);
    expect(working(allDay, '2025-12-25T23:00:00.000Z')).toBe(true);
  });

  it('is always true on a 24x7 calendar', () => {
    expect(working(ALWAYS, '2025-06-07T03:00:00.000Z')).toBe(true);
  });
});

describe('daylight-saving days', () => {
  const sundayAllDay = (timezone: string) => business(timezone, week({ sun: [['00:00', '24:00']] }));
  const nineToFive = (timezone: string) => business(timezone, everyDay([['09:00', '17:00']]));

  describe('Europe/Berlin', () => {
    it('a 00:00-24:00 day has 23 hours on 2025-03-30 and 25 hours on 2025-10-26', () => {
      expect(between(sundayAllDay(BERLIN), '2025-03-24T00:00:00.000Z', '2025-04-01T00:00:00.000Z')).toBe(23 * 60);
      expect(between(sundayAllDay(BERLIN), '2025-10-20T00:00:00.000Z', '2025-10-28T00:00:00.000Z')).toBe(25 * 60);
    });

    it('adding a whole spring-forward day lands on the next local midnight', () => {
      expect(add(sundayAllDay(BERLIN), '2025-03-29T23:00:00.000Z', 23 * 60)).toBe('2025-03-30T22:00:00.000Z');
      expect(add(sundayAllDay(BERLIN), '2025-10-25T22:00:00.000Z', 25 * 60)).toBe('2025-10-26T23:00:00.000Z');
    });

    it('a 09:00-17:00 day is still 8 hours on the spring-forward Sunday', () => {
      expect(add(nineToFive(BERLIN), '2025-03-30T07:00:00.000Z', 480)).toBe('2025-03-30T15:00:00.000Z');
      // Saturday 16:00 CET plus 2 hours: one on Saturday, one from Sunday 09:00 CEST.
      expect(add(nineToFive(BERLIN), '2025-03-29T15:00:00.000Z', 120)).toBe('2025-03-30T08:00:00.000Z');
    });

    it('a 09:00-17:00 day is still 8 hours on the fall-back Sunday', () => {
      expect(add(nineToFive(BERLIN), '2025-10-26T08:00:00.000Z', 480)).toBe('2025-10-26T16:00:00.000Z');
      expect(add(nineToFive(BERLIN), '2025-10-25T14:00:00.000Z', 120)).toBe('2025-10-26T09:00:00.000Z');
      expect(between(nineToFive(BERLIN), '2025-10-26T00:00:00.000Z', '2025-10-27T00:00:00.000Z')).toBe(480);
    });

    it('an interval across the skipped hour counts only real time', () => {
      // 01:00 CET = 00:00Z to 04:00 CEST = 02:00Z.
      const night = business(BERLIN, week({ sun: [['01:00', '04:00']] }));
      expect(between(night, '2025-03-29T00:00:00.000Z', '2025-03-31T00:00:00.000Z')).toBe(120);
      expect(add(night, '2025-03-29T12:00:00.000Z', 120)).toBe('2025-03-30T02:00:00.000Z');
    });

    it('an interval across the repeated hour counts the longer real time', () => {
      // 01:00 CEST = 2025-10-25T23:00Z to 04:00 CET = 03:00Z.
      const night = business(BERLIN, week({ sun: [['01:00', '04:00']] }));
      expect(between(night, '2025-10-25T00:00:00.000Z', '2025-10-27T00:00:00.000Z')).toBe(240);
      expect(add(night, '2025-10-25T12:00:00.000Z', 240)).toBe('2025-10-26T03:00:00.000Z');
    });

    it('an opening time that does not exist means the first instant after the gap', () => {
      // 02:30 does not exist on 2025-03-30; the interval opens at 03:00 CEST = 01:00Z.
      const late = business(BERLIN, week({ sun: [['02:30', '05:00']] }));
      expect(add(late, '2025-03-29T23:00:00.000Z', 0)).toBe('2025-03-30T01:00:00.000Z');
      expect(between(late, '2025-03-29T00:00:00.000Z', '2025-03-31T00:00:00.000Z')).toBe(120);
    });

    it('an interval lying entirely in the skipped hour is empty that day', () => {
      const gap = business(BERLIN, week({ sun: [['02:15', '02:45']] }));
      expect(between(gap, '2025-03-29T00:00:00.000Z', '2025-03-31T00:00:00.000Z')).toBe(0);
      // Next Sunday, 02:15 CEST = 00:15Z.
      expect(add(gap, '2025-03-29T12:00:00.000Z', 0)).toBe('2025-04-06T00:15:00.000Z');
    });

    it('an ambiguous opening time means the earlier instant', () => {
      // 02:30 first occurs at 02:30 CEST = 00:30Z; 04:00 CET = 03:00Z.
      const late = business(BERLIN, week({ sun: [['02:30', '04:00']] }));
      expect(between(late, '2025-10-25T00:00:00.000Z', '2025-10-27T00:00:00.000Z')).toBe(150);
      expect(working(late, '2025-10-26T00:29:59.999Z')).toBe(false);
      expect(working(late, '2025-10-26T00:30:00.000Z')).toBe(true);
    });
  });

  describe('America/New_York', () => {
    it('a 00:00-24:00 day has 23 hours on 2025-03-09 and 25 hours on 2025-11-02', () => {
      expect(between(sundayAllDay(NEW_YORK), '2025-03-04T00:00:00.000Z', '2025-03-12T00:00:00.000Z')).toBe(23 * 60);
      expect(between(sundayAllDay(NEW_YORK), '2025-10-28T00:00:00.000Z', '2025-11-05T00:00:00.000Z')).toBe(25 * 60);
      expect(add(sundayAllDay(NEW_YORK), '2025-03-09T05:00:00.000Z', 23 * 60)).toBe('2025-03-10T04:00:00.000Z');
      expect(add(sundayAllDay(NEW_YORK), '2025-11-02T04:00:00.000Z', 25 * 60)).toBe('2025-11-03T05:00:00.000Z');
    });

    it('a 09:00-17:00 day is still 8 hours on the spring-forward Sunday', () => {
      expect(add(nineToFive(NEW_YORK), '2025-03-09T13:00:00.000Z', 480)).toBe('2025-03-09T21:00:00.000Z');
      // Saturday 16:00 EST plus 2 hours: one on Saturday, one from Sunday 09:00 EDT.
      expect(add(nineToFive(NEW_YORK), '2025-03-08T21:00:00.000Z', 120)).toBe('2025-03-09T14:00:00.000Z');
    });

    it('a 09:00-17:00 day is still 8 hours on the fall-back Sunday', () => {
      expect(add(nineToFive(NEW_YORK), '2025-11-02T14:00:00.000Z', 480)).toBe('2025-11-02T22:00:00.000Z');
      expect(add(nineToFive(NEW_YORK), '2025-11-01T20:00:00.000Z', 120)).toBe('2025-11-02T15:00:00.000Z');
    });

    it('resolves skipped and repeated opening times', () => {
      // 02:30 does not exist on 2025-03-09: opens 03:00 EDT = 07:00Z, closes 05:00 EDT = 09:00Z.
      const skipped = business(NEW_YORK, week({ sun: [['02:30', '05:00']] }));
      expect(between(skipped, '2025-03-08T00:00:00.000Z', '2025-03-10T00:00:00.000Z')).toBe(120);
      expect(add(skipped, '2025-03-08T12:00:00.000Z', 0)).toBe('2025-03-09T07:00:00.000Z');
      // 01:30 happens twice on 2025-11-02: the earlier one, 01:30 EDT = 05:30Z, to 03:00 EST = 08:00Z.
      const repeated = business(NEW_YORK, week({ sun: [['01:30', '03:00']] }));
      expect(between(repeated, '2025-11-01T00:00:00.000Z', '2025-11-03T00:00:00.000Z')).toBe(150);
      expect(add(repeated, '2025-11-01T12:00:00.000Z', 0)).toBe('2025-11-02T05:30:00.000Z');
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Realistic calendars, including split shifts, holidays, night shifts and intervals on DST hours. */
const CALENDARS: Record<string, Calendar> = {
  berlinOffice: business(BERLIN, weekdays([['09:00', '17:00']]), ['2024-12-25', '2024-12-26', '2025-01-01', '2025-04-18', '2025-12-25', '2026-01-01', '2026-12-25', '2027-01-01']),
  berlinSplit: business(BERLIN, weekdays([['09:00', '12:30'], ['13:30', '17:00']], { sat: [['10:00', '14:00']] }), ['2025-05-01', '2026-05-01']),
  berlinNights: business(BERLIN, weekdays([['00:00', '02:00'], ['22:00', '24:00']], { sun: [['01:00', '04:00']] })),
  berlinDstHours: business(BERLIN, week({ sun: [['02:00', '03:00'], ['03:00', '05:00']], wed: [['12:00', '12:01']] })),
  newYorkOffice: business(NEW_YORK, weekdays([['08:00', '20:00']]), ['2024-07-04', '2025-07-04', '2025-11-27', '2025-12-25', '2026-07-03']),
  newYorkAllDay: business(NEW_YORK, everyDay([['00:00', '24:00']])),
  kolkataSplit: business(KOLKATA, weekdays([['09:30', '13:00'], ['14:00', '18:30']], { sat: [['09:30', '13:00']] }), ['2025-01-26', '2025-08-15', '2025-10-02']),
};
const BUSINESS_NAMES = Object.keys(CALENDARS);
const calendarName = fc.constantFrom(...BUSINESS_NAMES);
const calendarOf = (name: string) => CALENDARS[name]!;

const DST_DAYS = [
  ...['2024-03-31', '2024-10-27', '2025-03-30', '2025-10-26', '2026-03-29', '2026-10-25', '2027-03-28', '2027-10-31'],
  ...['2024-03-10', '2024-11-03', '2025-03-09', '2025-11-02', '2026-03-08', '2026-11-01', '2027-03-14', '2027-11-07'],
];
const anyInstant = fc.integer({ min: Date.UTC(2024, 0, 1), max: Date.UTC(2027, 11, 31) });
const nearDst = fc.tuple(fc.constantFrom(...DST_DAYS), fc.integer({ min: -2 * DAY, max: 2 * DAY })).map(([day, offset]) => Date.parse(`${day}T00:00:00Z`) + offset);
const onTheMinute = (instant: fc.Arbitrary<number>) => instant.map((t) => t - (t % MINUTE));
/** Starts across 2024-2027, half of them on whole minutes (so they can hit openings and closings exactly), a third near DST changes. */
const start = fc.oneof(anyInstant, onTheMinute(anyInstant), nearDst, onTheMinute(nearDst)).map((t) => new Date(t));
const minutes = fc.integer({ min: 0, max: 10_000 });
const RUNS = { numRuns: 200 };

/** Independent reading of a calendar: the wall clock at `at`, checked against the intervals of its local date. */
function naiveIsWorkingTime(calendar: BusinessCalendar, at: Date): boolean {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: calendar.timezone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  );
  if (calendar.holidays.includes(`${parts.year}-${parts.month}-${parts.day}`)) return false;
  const minute = Number(parts.hour) * 60 + Number(parts.minute) + (Number(parts.second) + at.getUTCMilliseconds() / 1000) / 60;
  const toMinute = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
  const weekday = String(parts.weekday).toLowerCase() as Weekday;
  return calendar.businessHours[weekday].some(([opens, closes]) => toMinute(opens) <= minute && minute < toMinute(closes));
}

describe('calendar properties', () => {
  it('adding in two steps equals adding once: add(add(s, a), b) = add(s, a + b) for a >= 0, b >= 1', () => {
    fc.assert(
      fc.property(calendarName, start, minutes, fc.integer({ min: 1, max: 10_000 }), (name, s, a, b) => {
        const calendar = calendarOf(name);
        const twoSteps = addWorkingMinutes(calendar, addWorkingMinutes(calendar, s, a), b);
        expect(twoSteps.toISOString()).toBe(addWorkingMinutes(calendar, s, a + b).toISOString());
      }),
      RUNS,
    );
  });

  it('never lands outside business hours: in working time or exactly at a closing instant', () => {
    fc.assert(
      fc.property(calendarName, start, minutes, (name, s, m) => {
        const calendar = calendarOf(name);
        const due = addWorkingMinutes(calendar, s, m);
        if (m === 0) expect(isWorkingTime(calendar, due)).toBe(true);
        else expect(isWorkingTime(calendar, due) || isWorkingTime(calendar, new Date(due.getTime() - 1))).toBe(true);
      }),
      RUNS,
    );
  });

  it('zero minutes moves to the next working instant and skips no working time', () => {
    fc.assert(
      fc.property(calendarName, start, (name, s) => {
        const calendar = calendarOf(name);
        const opened = addWorkingMinutes(calendar, s, 0);
        expect(opened.getTime()).toBeGreaterThanOrEqual(s.getTime());
        expect(isWorkingTime(calendar, opened)).toBe(true);
        expect(workingMinutesBetween(calendar, s, opened)).toBe(0);
      }),
      RUNS,
    );
  });

  it('counting back gives the minutes added: workingMinutesBetween(s, add(s, m)) = m', () => {
    fc.assert(
      fc.property(calendarName, start, minutes, (name, s, m) => {
        const calendar = calendarOf(name);
        expect(workingMinutesBetween(calendar, s, addWorkingMinutes(calendar, s, m))).toBe(m);
      }),
      RUNS,
    );
  });

  it('is monotonic: a <= b implies add(s, a) <= add(s, b)', () => {
    fc.assert(
      fc.property(calendarName, start, minutes, minutes, (name, s, x, y) => {
        const calendar = calendarOf(name);
        const [a, b] = x <= y ? [x, y] : [y, x];
        const early = addWorkingMinutes(calendar, s, a).getTime();
        const late = addWorkingMinutes(calendar, s, b).getTime();
        if (a < b) expect(early).toBeLessThan(late);
        else expect(early).toBe(late);
      }),
      RUNS,
    );
  });

  it('working minutes add up over adjacent spans', () => {
    fc.assert(
      fc.property(calendarName, start, fc.integer({ min: 0, max: 60 * DAY }), fc.integer({ min: 0, max: 60 * DAY }), (name, s, x, y) => {
        const calendar = calendarOf(name);
        const t = new Date(s.getTime() + Math.min(x, y));
        const u = new Date(s.getTime() + Math.max(x, y));
        const whole = workingMinutesBetween(calendar, s, u);
        const parts = workingMinutesBetween(calendar, s, t) + workingMinutesBetween(calendar, t, u);
        expect(Math.round(parts * MINUTE)).toBe(Math.round(whole * MINUTE));
      }),
      RUNS,
    );
  });

  it('isWorkingTime agrees with reading the wall clock directly', () => {
    fc.assert(
      fc.property(calendarName, start, (name, at) => {
        const calendar = calendarOf(name) as BusinessCalendar;
        expect(isWorkingTime(calendarOf(name), at)).toBe(naiveIsWorkingTime(calendar, at));
      }),
      { numRuns: 1000 },
    );
  });

  it('isWorkingTime agrees with workingMinutesBetween over the next millisecond', () => {
    fc.assert(
      fc.property(calendarName, start, (name, at) => {
        const calendar = calendarOf(name);
        expect(isWorkingTime(calendar, at)).toBe(workingMinutesBetween(calendar, at, new Date(at.getTime() + 1)) > 0);
      }),
      RUNS,
    );
  });

  it('a business calendar open 00:00-24:00 every day behaves exactly like 24x7 across DST', () => {
    fc.assert(
      fc.property(fc.constantFrom(BERLIN, NEW_YORK, KOLKATA), start, minutes, start, (timezone, s, m, t) => {
        const allDay = business(timezone, everyDay([['00:00', '24:00']]));
        expect(addWorkingMinutes(allDay, s, m).toISOString()).toBe(addWorkingMinutes(ALWAYS, s, m).toISOString());
        expect(workingMinutesBetween(allDay, s, t)).toBe(workingMinutesBetween(ALWAYS, s, t));
      }),
      RUNS,
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Input validation

/** The issue's example: split shifts on weekdays, closed at the weekend. */
const SPLIT: Interval[] = [['09:00', '12:30'], ['13:30', '17:00']];
const validInput = () => ({
  timezone: 'Europe/Berlin',
  businessHours: { mon: SPLIT, tue: SPLIT, wed: SPLIT, thu: SPLIT, fri: SPLIT, sat: [] as Interval[], sun: [] as Interval[] },
  holidays: ['2025-12-25', '2025-12-26'],
});
const withHours = (hours: Record<string, unknown>) => ({ ...validInput(), businessHours: { ...validInput().businessHours, ...hours } });

function issues(value: unknown): { path: string; message: string }[] {
  const result = BusinessCalendarSchema.safeParse(value);
  return result.success ? [] : result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
}
const paths = (value: unknown) => issues(value).map((issue) => issue.path);

describe('BusinessCalendarSchema', () => {
  it("accepts the issue's example unchanged", () => {
    expect(BusinessCalendarSchema.parse(validInput())).toEqual(validInput());
  });

  it.each([
    ['touching intervals', { mon: [['09:00', '12:00'], ['12:00', '17:00']] }],
    ['an end of 24:00', { mon: [['22:00', '24:00']], tue: [['00:00', '02:00']] }],
    ['a whole day', { sat: [['00:00', '24:00']] }],
    ['a one-minute interval', { sun: [['23:59', '24:00']] }],
  ])('accepts %s', (_, hours) => {
    expect(issues(withHours(hours))).toEqual([]);
  });

  it.each(['UTC', 'Asia/Kolkata', 'America/New_York'])('accepts the time zone %s', (timezone) => {
    expect(issues({ ...validInput(), timezone })).toEqual([]);
  });

  it.each([
    ['an hour of 25', [['25:00', '26:00']], ['businessHours.mon.0.0', 'businessHours.mon.0.1']],
    ['a start of 24:00', [['24:00', '24:00']], ['businessHours.mon.0.0']],
    ['a single-digit hour', [['9:00', '17:00']], ['businessHours.mon.0.0']],
    ['minutes of 60', [['09:00', '17:60']], ['businessHours.mon.0.1']],
    ['an end after 24:00', [['09:00', '24:01']], ['businessHours.mon.0.1']],
    ['seconds', [['09:00:00', '17:00']], ['businessHours.mon.0.0']],
    ['an end before the start', [['17:00', '09:00']], ['businessHours.mon.0']],
    ['an empty interval', [['09:00', '09:00']], ['businessHours.mon.0']],
    ['overlapping intervals', [['09:00', '13:00'], ['12:00', '17:00']], ['businessHours.mon.1']],
    ['unsorted intervals', [['13:00', '17:00'], ['09:00', '12:00']], ['businessHours.mon.1']],
    ['a three-element interval', [['09:00', '12:00', '17:00']], ['businessHours.mon.0']],
    ['a lone time', ['09:00'], ['businessHours.mon.0']],
    ['a non-list', 'closed', ['businessHours.mon']],
  ])('rejects %s and names the offending place', (_, mon, expected) => {
    expect(paths(withHours({ mon }))).toEqual(expected);
  });

  it('explains why an interval is rejected', () => {
    expect(issues(withHours({ mon: [['09:00', '13:00'], ['12:00', '17:00']] }))[0]?.message).toMatch(/must not start before 13:00/);
    expect(issues(withHours({ mon: [['17:00', '09:00']] }))[0]?.message).toMatch(/must end after it starts/);
    expect(issues(withHours({ mon: [['9:00', '17:00']] }))[0]?.message).toMatch(/HH:MM/);
  });

  it('rejects an unknown weekday key and names it', () => {
    const found = issues(withHours({ funday: [] }));
    expect(found.map((issue) => issue.path)).toEqual(['businessHours']);
    expect(found[0]?.message).toMatch(/"funday"/);
  });

  it('rejects a missing weekday', () => {
    const { sun: _sun, ...rest } = validInput().businessHours;
    const found = issues({ ...validInput(), businessHours: rest });
    expect(found).toEqual([{ path: 'businessHours.sun', message: expect.stringMatching(/required/) }]);
  });

  it('rejects a week closed on every day (no due time could ever be reached)', () => {
    const closed = Object.fromEntries(WEEKDAYS.map((day) => [day, []]));
    expect(paths({ ...validInput(), businessHours: closed })).toEqual(['businessHours']);
  });

  it.each(['Mars/Olympus_Mons', 'Europe/Berlinn', '+01:00', '', 'CEST '])('rejects the time zone %j', (timezone) => {
    expect(issues({ ...validInput(), timezone })).toEqual([{ path: 'timezone', message: 'must be an IANA time zone such as Europe/Berlin' }]);
  });

  it.each([
    ['an impossible date', ['2025-02-30'], ['holidays.0']],
    ['a thirteenth month', ['2025-01-01', '2025-13-01'], ['holidays.1']],
    ['a day-first date', ['25-12-2025'], ['holidays.0']],
    ['a date-time', ['2025-12-25T00:00:00Z'], ['holidays.0']],
    ['a duplicate', ['2025-12-25', '2025-12-26', '2025-12-25'], ['holidays.2']],
  ])('rejects %s among the holidays', (_, holidays, expected) => {
    expect(paths({ ...validInput(), holidays })).toEqual(expected);
  });

  it('accepts a leap day and rejects 29 February in other years', () => {
    expect(paths({ ...validInput(), holidays: ['2028-02-29'] })).toEqual([]);
    expect(paths({ ...validInput(), holidays: ['2027-02-29'] })).toEqual(['holidays.0']);
  });

  it('requires every field and rejects unknown ones', () => {
    expect(paths({})).toEqual(['timezone', 'businessHours', 'holidays']);
    expect(paths({ ...validInput(), open: true })).toEqual(['']);
  });
});
