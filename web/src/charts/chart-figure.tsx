import { useEffect, useRef, useState } from 'preact/hooks';
import { type ChartSeries, chartTable } from './chart-series.ts';

// A chart and its table alternative. Chart.js comes in with a dynamic import() on first use, so it
// is in a chunk of its own and never in the first screen's JavaScript. The canvas is hidden from
// assistive technology; the table carries the same numbers for screen readers (and anyone who asks).

export type ChartKind = 'bar' | 'line' | 'funnel';

const COLORS = ['#1f5fa8', '#b3261e', '#2e7d32', '#8a5a00'];

type ChartModule = typeof import('chart.js');
let chartModule: Promise<ChartModule> | undefined;

function loadChartJs(): Promise<ChartModule> {
  chartModule ??= import('chart.js').then((m) => {
    m.Chart.register(m.BarController, m.BarElement, m.LineController, m.LineElement, m.PointElement, m.CategoryScale, m.LinearScale, m.Legend, m.Tooltip);
    return m;
  });
  return chartModule;
}

export function ChartFigure({
  id,
  title,
  chart,
  kind,
  format,
  tableRows,
}: {
  id: string;
  title: string;
  chart: ChartSeries;
  kind: ChartKind;
  format?: (value: number | null) => string;
  /** The table alternative's rows when they differ from the chart's (e.g. only days with data). */
  tableRows?: ChartSeries;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let chartInstance: { destroy(): void } | undefined;
    let gone = false;
    loadChartJs().then(
      ({ Chart }) => {
        if (gone || !canvas.current) return;
        chartInstance = new Chart(canvas.current, {
          type: kind === 'line' ? 'line' : 'bar',
          data: {
            labels: chart.labels,
            datasets: chart.series.map((s, i) => ({ label: s.label, data: s.values, backgroundColor: COLORS[i % COLORS.length], borderColor: COLORS[i % COLORS.length] })),
          },
          options: {
            indexAxis: kind === 'funnel' ? 'y' : 'x',
            responsive: true,
            maintainAspectRatio: false,
            animation: false,
            scales: { x: { beginAtZero: true }, y: { beginAtZero: true } },
            plugins: { legend: { display: chart.series.length > 1 } },
          },
        });
      },
      () => !gone && setFailed(true),
    );
    return () => {
      gone = true;
      chartInstance?.destroy();
    };
  }, [chart, kind]);

  const table = chartTable(tableRows ?? chart, format);
  return (
    <figure class="chart-figure" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`}>{title}</figcaption>
      <div class="chart-canvas">
        <canvas ref={canvas} aria-hidden="true" />
      </div>
      {failed ? <p role="alert">The chart could not be loaded; the numbers are in the table below.</p> : null}
      {/* A table is as wide as its content whatever its width: the wrapper hides it (and clips it) for sighted users. */}
      <div class={failed ? undefined : 'visually-hidden'}>
        <table class="chart-table" aria-label={`${title} (table)`}>
          <thead>
            <tr>
              {table.head.map((heading, i) => (
                <th scope="col" key={i}>
                  {heading}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.length === 0 ? (
              <tr>
                <td colSpan={table.head.length}>Nothing counted in this range.</td>
              </tr>
            ) : (
              table.rows.map(([label, ...cells]) => (
                <tr key={label}>
                  <th scope="row">{label}</th>
                  {cells.map((cell, i) => (
                    <td key={i}>{cell}</td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
