// Pure helpers of the SLA report screen: what each chart draws and what its table alternative says.
// The shapes are the API's (GET /reports/sla); nothing here recomputes a figure the API gives.

export interface SlaReportDay {
  readonly day: string;
  readonly opened: number;
  readonly solved: number;
  readonly firstResponseMetPercent: number | null;
  readonly resolutionMetPercent: number | null;
  readonly breaches: number;
}

export interface SlaReportView {
  readonly opened: number;
  readonly solved: number;
  readonly firstResponseMetPercent: number | null;
  readonly resolutionMetPercent: number | null;
  readonly medianFirstResponseMinutes: number | null;
  readonly medianResolutionMinutes: number | null;
  readonly breachedOpen: number;
  readonly breaches: number;
  readonly days: readonly SlaReportDay[];
}

/** A chart's data: labels along one axis and one or more series (null: nothing to show that day). */
export interface ChartSeries {
  readonly labels: string[];
  readonly series: { readonly label: string; readonly values: (number | null)[] }[];
}

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
    labels: ['First response', 'Resolution'],
    series: [{ label: 'Met (%)', values: [report.firstResponseMetPercent, report.resolutionMetPercent] }],
  };
}

export function medianChart(report: SlaReportView): ChartSeries {
  return {
    labels: ['First response', 'Resolution'],
    series: [{ label: 'Median (minutes)', values: [report.medianFirstResponseMinutes, report.medianResolutionMinutes] }],
  };
}

export function breachesOverTime(report: SlaReportView): ChartSeries {
  return {
    labels: report.days.map((d) => d.day),
    series: [
      { label: 'Breaches', values: report.days.map((d) => d.breaches) },
      { label: 'Opened', values: report.days.map((d) => d.opened) },
    ],
  };
}

export function metOverTime(report: SlaReportView): ChartSeries {
  return {
    labels: report.days.map((d) => d.day),
    series: [
      { label: 'First response met (%)', values: report.days.map((d) => d.firstResponseMetPercent) },
      { label: 'Resolution met (%)', values: report.days.map((d) => d.resolutionMetPercent) },
    ],
  };
}

/** The table alternative of a chart (screen readers, and anyone who wants the numbers). */
export function chartTable(chart: ChartSeries, format: (value: number | null) => string = (v) => (v === null ? '–' : String(v))): { head: string[]; rows: string[][] } {
  return {
    head: ['', ...chart.series.map((s) => s.label)],
    rows: chart.labels.map((label, i) => [label, ...chart.series.map((s) => format(s.values[i] ?? null))]),
  };
}

/** Days with something to say, so the table alternative of a 30-day chart is not 30 rows of zeros. */
export function activeDays(chart: ChartSeries): ChartSeries {
  const keep = chart.labels.map((_, i) => chart.series.some((s) => (s.values[i] ?? 0) !== 0));
  return {
    labels: chart.labels.filter((_, i) => keep[i]),
    series: chart.series.map((s) => ({ label: s.label, values: s.values.filter((_, i) => keep[i]) })),
  };
}

/** The report's range as the API takes it (UTC days, both included): the last `days` days up to `today`. */
export function lastDays(today: Date, days: number): { from: string; to: string } {
  const to = today.toISOString().slice(0, 10);
  const from = new Date(Date.parse(to) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  return { from, to };
}
