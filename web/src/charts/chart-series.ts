/** A chart's data: labels along one axis and one or more series (null: nothing to show there). */
export interface ChartSeries {
  /** The heading of the label column in the table alternative ("Day", "Milestone"). */
  readonly labelHeading?: string;
  readonly labels: string[];
  readonly series: { readonly label: string; readonly values: (number | null)[] }[];
}

/** The table alternative of a chart (screen readers, and anyone who wants the numbers). */
export function chartTable(chart: ChartSeries, format: (value: number | null) => string = (v) => (v === null ? '–' : String(v))): { head: string[]; rows: string[][] } {
  return {
    head: [chart.labelHeading ?? '', ...chart.series.map((s) => s.label)],
    rows: chart.labels.map((label, i) => [label, ...chart.series.map((s) => format(s.values[i] ?? null))]),
  };
}

/** Rows with something to say, so the table of a 30-day chart is not 30 rows of zeros. */
export function activeRows(chart: ChartSeries): ChartSeries {
  const keep = chart.labels.map((_, i) => chart.series.some((s) => (s.values[i] ?? 0) !== 0));
  return {
    ...chart,
    labels: chart.labels.filter((_, i) => keep[i]),
    series: chart.series.map((s) => ({ label: s.label, values: s.values.filter((_, i) => keep[i]) })),
  };
}
