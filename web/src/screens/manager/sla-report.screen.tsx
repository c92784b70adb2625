import { useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client.ts';
import { ChartFigure } from '../../charts/chart-figure.tsx';
import { activeRows } from '../../charts/chart-series.ts';
import { Field, Page, ProblemAlert, useResource } from '../../ui/index.ts';
import { breachesOverTime, formatMinutes, formatPercent, medianChart, metChart, metOverTime, type SlaReportView } from './sla-report.ts';
import '../backoffice.css';

/** The SLA report (GET /reports/sla): figures for a range of UTC days, a queue or all, with charts. */
export function SlaReportScreen() {
  // No dates: the API's own default, the last 30 days by its clock (the browser's may differ).
  const [filter, setFilter] = useState({ from: '', to: '', queue: '' });
  const [draft, setDraft] = useState(filter);
  const report = useResource<SlaReportView>(
    () => api().GET('/reports/sla', { params: { query: { ...(filter.from ? { from: filter.from } : {}), ...(filter.to ? { to: filter.to } : {}), ...(filter.queue ? { queue: filter.queue } : {}) } } }).then(unwrap),
    [filter],
  );
  const data = report.data;
  return (
    <Page title="SLA report">
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          setFilter({ ...draft, queue: draft.queue.trim() });
        }}
      >
        <Field label="From (empty: 30 days before To)" name="from" type="date" value={draft.from} onInput={(e) => setDraft({ ...draft, from: e.currentTarget.value })} />
        <Field label="To (empty: today)" name="to" type="date" value={draft.to} onInput={(e) => setDraft({ ...draft, to: e.currentTarget.value })} />
        <Field label="Queue (empty: all)" name="queue" value={draft.queue} onInput={(e) => setDraft({ ...draft, queue: e.currentTarget.value })} />
        <button type="submit">Show</button>
      </form>
      <ProblemAlert problem={report.problem} />
      {report.loading && !data ? <p role="status">Loading…</p> : null}
      {data ? (
        <>
          <p>
            {data.days.length ? `${data.days[0]!.day} to ${data.days[data.days.length - 1]!.day} (UTC days)` : null}
            {filter.queue ? `, queue ${filter.queue}` : ', all queues'}
          </p>
          <dl class="figures">
            <div>
              <dt>Opened</dt>
              <dd>{data.opened}</dd>
            </div>
            <div>
              <dt>Solved</dt>
              <dd>{data.solved}</dd>
            </div>
            <div>
              <dt>First response met</dt>
              <dd>{formatPercent(data.firstResponseMetPercent)}</dd>
            </div>
            <div>
              <dt>Resolution met</dt>
              <dd>{formatPercent(data.resolutionMetPercent)}</dd>
            </div>
            <div>
              <dt>Median first response</dt>
              <dd>{formatMinutes(data.medianFirstResponseMinutes)}</dd>
            </div>
            <div>
              <dt>Median resolution</dt>
              <dd>{formatMinutes(data.medianResolutionMinutes)}</dd>
            </div>
            <div>
              <dt>Breaches in range</dt>
              <dd>{data.breaches}</dd>
            </div>
            <div>
              <dt>Breached and still open</dt>
              <dd>{data.breachedOpen}</dd>
            </div>
          </dl>
          <div class="charts">
            <ChartFigure id="sla-met" title="Targets met" kind="bar" chart={metChart(data)} format={formatPercent} />
            <ChartFigure id="sla-medians" title="Median times" kind="bar" chart={medianChart(data)} format={formatMinutes} />
            <ChartFigure id="sla-breaches" title="Breaches and opened cases per day" kind="line" chart={breachesOverTime(data)} tableRows={activeRows(breachesOverTime(data))} />
            <ChartFigure id="sla-met-days" title="Targets met per day" kind="line" chart={metOverTime(data)} tableRows={activeRows(metOverTime(data))} format={formatPercent} />
          </div>
        </>
      ) : null}
    </Page>
  );
}
