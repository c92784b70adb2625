import { describe, expect, it } from 'vitest';
import { activeRows, chartTable } from '../../web/src/charts/chart-series.ts';
import { breachesOverTime, formatMinutes, formatPercent, medianChart, metChart, type SlaReportView } from '../../web/src/screens/manager/sla-report.ts';

const day = (d: string, fields: Partial<SlaReportView['days'][number]> = {}) => ({
  day: d,
  opened: 0,
  solved: 0,
  firstResponseMetPercent: null,
  resolutionMetPercent: null,
  breaches: 0,
  ...fields,
});

const REPORT: SlaReportView = {
  opened: 3,
  solved: 1,
  firstResponseMetPercent: 66.7,
  resolutionMetPercent: null,
  medianFirstResponseMinutes: 95,
  medianResolutionMinutes: null,
  breachedOpen: 1,
  breaches: 2,
  days: [day('2026-11-29', { opened: 2, breaches: 1 }), day('2026-11-30'), day('2026-12-01', { opened: 1, solved: 1, breaches: 1, firstResponseMetPercent: 100 })],
};

describe('formatMinutes', () => {
  it.each([
    [null, '–'],
    [0, '0 min'],
    [45, '45 min'],
    [60, '1 h'],
    [125, '2 h 5 min'],
    [1440, '1 d'],
    [4560, '3 d 4 h'],
  ])('%s -> %s', (minutes, text) => {
    expect(formatMinutes(minutes)).toBe(text);
  });
});

describe('the SLA report charts', () => {
  it('draws met percentages and medians per milestone, null where nothing was measured', () => {
    expect(metChart(REPORT)).toEqual({ labelHeading: 'Milestone', labels: ['First response', 'Resolution'], series: [{ label: 'Met (%)', values: [66.7, null] }] });
    expect(medianChart(REPORT).series[0]!.values).toEqual([95, null]);
  });

  it('draws breaches and opened cases per day, every day of the report', () => {
    expect(breachesOverTime(REPORT)).toEqual({
      labelHeading: 'Day',
      labels: ['2026-11-29', '2026-11-30', '2026-12-01'],
      series: [
        { label: 'Breaches', values: [1, 0, 1] },
        { label: 'Opened', values: [2, 0, 1] },
      ],
    });
  });

  it('gives each chart a table alternative with the same numbers, formatted', () => {
    expect(chartTable(metChart(REPORT), formatPercent)).toEqual({
      head: ['Milestone', 'Met (%)'],
      rows: [
        ['First response', '66.7%'],
        ['Resolution', '–'],
      ],
    });
    expect(chartTable(medianChart(REPORT), formatMinutes).rows[0]).toEqual(['First response', '1 h 35 min']);
  });

  it('keeps only the days with something to say in the table of a chart over time', () => {
    expect(activeRows(breachesOverTime(REPORT)).labels).toEqual(['2026-11-29', '2026-12-01']);
  });
});
