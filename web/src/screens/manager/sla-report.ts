// Pure helpers of the SLA report screen: what each chart draws and what its table alternative says.
// The shapes are the API's (GET /reports/sla); nothing here recomputes a figure the API gives.

import type { components } from '../../../../clients/typescript/ecrm-api.ts';
import type { ChartSeries } from '../../charts/chart-series.ts';

/** The generated client's report type: a contract change fails the type check here. */
export type SlaReportView = components['schemas']['SlaReport'];
export type SlaReportDay = SlaReportView['days'][number];

/** Minutes as people read them: `45 min`, `2 h 5 min`, `3 d 4 h`; null (nothing measured) as a dash. */
export function formatMinutes(minutes: number | null): string {
  if (minutes === null) return '–';
  const m = Math.round(minutes);
  if (m < 60) return `${m} min`;
  if (m < 1440) {
    const rest = m % 60;
    return rest ? `${Math.floor(m / 60)} h ${rest} min` : `${m / 60} h`;
  }
  const hours = Math.floor((m % 1440) / 60);
  return hours ? `${Math.floor(m / 1440)} d ${hours} h` : `${Math.floor(m / 1440)} d`;
}

export const formatPercent = (value: number | null): string => (value === null ? '–' : `${value}%`);

export function metChart(report: SlaReportView): ChartSeries {
  return {
    labelHeading: 'Milestone',
    labels: ['First response', 'Resolution'],
    series: [{ label: 'Met (%)', values: [report.firstResponseMetPercent, report.resolutionMetPercent] }],
  };
}

export function medianChart(report: SlaReportView): ChartSeries {
  return {
    labelHeading: 'Milestone',
    labels: ['First response', 'Resolution'],
    series: [{ label: 'Median', values: [report.medianFirstResponseMinutes, report.medianResolutionMinutes] }],
  };
}

export function breachesOverTime(report: SlaReportView): ChartSeries {
  return {
    labelHeading: 'Day',
    labels: report.days.map((d) => d.day),
    series: [
      { label: 'Breaches', values: report.days.map((d) => d.breaches) },
      { label: 'Opened', values: report.days.map((d) => d.opened) },
    ],
  };
}

export function metOverTime(report: SlaReportView): ChartSeries {
  return {
    labelHeading: 'Day',
    labels: report.days.map((d) => d.day),
    series: [
      { label: 'First response met (%)', values: report.days.map((d) => d.firstResponseMetPercent) },
      { label: 'Resolution met (%)', values: report.days.map((d) => d.resolutionMetPercent) },
    ],
  };
}
