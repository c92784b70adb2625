import { describe, expect, it } from 'vitest';
import { bodyOf, fieldErrors, fieldOfPath, formOf, parseShifts, type SlaPolicyBody } from '../../web/src/screens/manager/sla-policy-form.ts';

const NINE_TO_FIVE: [string, string][] = [['09:00', '17:00']];
const POLICY: SlaPolicyBody = {
  timezone: 'Europe/Berlin',
  businessHours: { mon: [['09:00', '12:00'], ['13:00', '17:00']], tue: NINE_TO_FIVE, wed: NINE_TO_FIVE, thu: NINE_TO_FIVE, fri: NINE_TO_FIVE, sat: [], sun: [] },
  holidays: ['2026-12-25', '2026-12-26'],
  targets: {
    urgent: { firstResponseMinutes: 60, resolutionMinutes: 240, calendar: '24x7' },
    high: { firstResponseMinutes: 240, resolutionMinutes: 1440, calendar: 'business' },
    normal: { firstResponseMinutes: 480, resolutionMinutes: 2880, calendar: 'business' },
    low: { firstResponseMinutes: 1440, resolutionMinutes: 7200, calendar: 'business' },
  },
  warnAtPercent: 75,
};

describe('the SLA policy form', () => {
  it('shows a policy as text fields and turns them back into the same body', () => {
    const form = formOf(POLICY);
    expect(form.hours.mon).toBe('09:00-12:00, 13:00-17:00');
    expect(form.hours.sat).toBe('');
    expect(form.holidays).toBe('2026-12-25\n2026-12-26');
    expect(form.targets.urgent).toEqual({ firstResponseMinutes: '60', resolutionMinutes: '240', calendar: '24x7' });
    expect(bodyOf(form)).toEqual({ body: POLICY, errors: {} });
  });

  it('reads shifts written loosely (spaces, en dash, one-digit hours, semicolons)', () => {
    expect(parseShifts(' 9:00 – 12:30; 13:00-24:00 ')).toEqual({ shifts: [['09:00', '12:30'], ['13:00', '24:00']] });
    expect(parseShifts('')).toEqual({ shifts: [] });
  });

  it('names the piece of a day that is no shift, and leaves the day out of the body', () => {
    const form = { ...formOf(POLICY), hours: { ...formOf(POLICY).hours, tue: '09:00-17:00, lunch' } };
    const { body, errors } = bodyOf(form);
    expect(errors).toEqual({ 'businessHours.tue': expect.stringContaining('"lunch" is not a shift') });
    expect(body.businessHours.tue).toBeUndefined();
  });

  it('sends numbers as typed, so that the schema names a field that is no number', () => {
    const form = formOf(POLICY);
    form.targets.high.firstResponseMinutes = 'soon';
    form.warnAtPercent = '';
    const { body } = bodyOf(form);
    expect(body.targets.high.firstResponseMinutes).toBeNaN();
    expect(body.warnAtPercent).toBeNaN();
  });

  it('shows an error of the API at the field it names', () => {
    expect(fieldOfPath('businessHours.mon.0.1')).toBe('businessHours.mon');
    expect(fieldOfPath('/holidays/2')).toBe('holidays');
    expect(fieldOfPath('targets.high.resolutionMinutes')).toBe('targets.high.resolutionMinutes');
    expect(fieldOfPath('timezone')).toBe('timezone');
    expect(fieldOfPath('')).toBe('form');
    expect(
      fieldErrors([
        { path: 'businessHours.mon.0', message: 'a shift must end after it starts' },
        { path: 'businessHours.mon.1', message: 'second' },
      ]),
    ).toEqual({ 'businessHours.mon': 'a shift must end after it starts' });
  });
});
