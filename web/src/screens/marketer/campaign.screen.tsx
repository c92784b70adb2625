import { useCallback, useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client.ts';
import { type ApiProblem, toProblem } from '../../api/problem.ts';
import type { ScreenProps } from '../../app/routes.tsx';
import { ChartFigure } from '../../charts/chart-figure.tsx';
import { validateRequestBody } from '../../forms/validate.ts';
import { Field, Page, Pager, ProblemAlert, StaleEditNotice, usePagedList, useResource } from '../../ui/index.ts';
import { instantOf, type Move, MOVE_LABELS, movesOf } from './campaign-form.ts';
import { dropOffsOf, funnelOf } from './campaign-funnel.ts';
import '../backoffice.css';

const PATHS = {
  schedule: '/campaigns/{id}/schedule',
  activate: '/campaigns/{id}/activate',
  pause: '/campaigns/{id}/pause',
  resume: '/campaigns/{id}/resume',
  cancel: '/campaigns/{id}/cancel',
} as const;

/**
 * One campaign: its life cycle moves (with If-Match: a move over a stale view is a 412 that
 * offers to reload), a preview for one customer, the report with its funnel, and the recipients.
 */
export function CampaignScreen({ params }: ScreenProps) {
  const id = params.id ?? '';
  const campaign = useResource(async () => {
    const result = await api().GET('/campaigns/{id}', { params: { path: { id } } });
    return { campaign: await unwrap(result), etag: result.response.headers.get('etag') };
  }, [id]);
  const report = useResource(() => api().GET('/campaigns/{id}/report', { params: { path: { id } } }).then(unwrap), [id]);
  const fetchRecipients = useCallback((cursor?: string) => api().GET('/campaigns/{id}/recipients', { params: { path: { id }, query: { limit: 25, ...(cursor ? { cursor } : {}) } } }).then(unwrap), [id]);
  const recipients = usePagedList(fetchRecipients);
  const [at, setAt] = useState('');
  const [atError, setAtError] = useState<string | undefined>();
  const [moveProblem, setMoveProblem] = useState<ApiProblem | null>(null);
  const [stale, setStale] = useState(false);
  const [customerId, setCustomerId] = useState('');
  const [previewError, setPreviewError] = useState<string | undefined>();
  const [preview, setPreview] = useState<{ to: string; subject: string; text: string } | null>(null);
  const [previewProblem, setPreviewProblem] = useState<ApiProblem | null>(null);

  async function move(which: Move) {
    if (!campaign.data) return;
    setMoveProblem(null);
    setAtError(undefined);
    const header = campaign.data.etag ? { 'If-Match': campaign.data.etag } : {};
    try {
      if (which === 'schedule') {
        const body = at.trim() ? { at: instantOf(at) } : {};
        const found = validateRequestBody('scheduleCampaign', body);
        if (found.at) {
          setAtError(found.at);
          return;
        }
        await unwrap(await api().POST(PATHS.schedule, { params: { path: { id }, header }, body }));
      } else {
        await unwrap(await api().POST(PATHS[which], { params: { path: { id }, header } }));
      }
      campaign.reload();
      report.reload();
    } catch (e) {
      const p = toProblem(e);
      if (p.status === 412) setStale(true);
      else setMoveProblem(p);
    }
  }

  async function showPreview(event: Event) {
    event.preventDefault();
    setPreview(null);
    setPreviewProblem(null);
    const body = { customerId: customerId.trim() };
    const found = validateRequestBody('previewCampaign', body);
    setPreviewError(found.customerId);
    if (found.customerId) return;
    try {
      setPreview(await unwrap(await api().POST('/campaigns/{id}/preview', { params: { path: { id } }, body })));
    } catch (e) {
      setPreviewProblem(toProblem(e));
    }
  }

  const c = campaign.data?.campaign;
  return (
    <Page title={c ? `Campaign: ${c.name}` : 'Campaign'}>
      <ProblemAlert problem={campaign.problem} />
      {c ? (
        <>
          <dl class="figures">
            <div>
              <dt>Status</dt>
              <dd>{c.status}</dd>
            </div>
            <div>
              <dt>Topic</dt>
              <dd>{c.topic}</dd>
            </div>
            <div>
              <dt>{c.trigger ? 'Trigger' : 'Send at'}</dt>
              <dd>{c.trigger ? c.trigger.event : c.schedule ? new Date(c.schedule.at).toLocaleString() : 'not set'}</dd>
            </div>
          </dl>
          <p>
            Subject: <strong>{c.template.subject}</strong>
          </p>
          <section aria-labelledby="moves-title">
            <h2 id="moves-title">Life cycle</h2>
            {movesOf(c).includes('schedule') ? (
              <Field label="Send at (your local time; empty: the campaign's time)" name="scheduleAt" type="datetime-local" value={at} error={atError} onInput={(e) => setAt(e.currentTarget.value)} />
            ) : null}
            <div class="actions">
              {movesOf(c).map((m) => (
                <button type="button" key={m} onClick={() => void move(m)}>
                  {MOVE_LABELS[m]}
                </button>
              ))}
              {movesOf(c).length === 0 ? <p>No further moves: the campaign is {c.status}.</p> : null}
            </div>
            {stale ? (
              <StaleEditNotice
                onReload={() => {
                  setStale(false);
                  campaign.reload();
                }}
              />
            ) : null}
            <ProblemAlert problem={moveProblem} />
          </section>
          <section aria-labelledby="preview-title">
            <h2 id="preview-title">Preview for a customer</h2>
            <form class="filters" onSubmit={showPreview} noValidate>
              <Field label="Customer id" name="customerId" value={customerId} error={previewError} onInput={(e) => setCustomerId(e.currentTarget.value)} />
              <button type="submit">Preview</button>
            </form>
            <ProblemAlert problem={previewProblem} />
            {preview ? (
              <div>
                <p>
                  To {preview.to}: <strong>{preview.subject}</strong>
                </p>
                <pre class="message">{preview.text}</pre>
              </div>
            ) : null}
          </section>
        </>
      ) : null}
      <section aria-labelledby="report-title">
        <h2 id="report-title">Report</h2>
        <ProblemAlert problem={report.problem} />
        {report.data ? (
          <>
            <ChartFigure
              id="campaign-funnel"
              title="Funnel"
              kind="funnel"
              chart={{ labelHeading: 'Step', labels: funnelOf(report.data).map((s) => s.label), series: [{ label: 'Recipients', values: funnelOf(report.data).map((s) => s.count) }] }}
            />
            <p>
              {funnelOf(report.data)
                .map((s) => `${s.label}: ${s.count}${s.percentOfTargeted === null ? '' : ` (${s.percentOfTargeted}%)`}`)
                .join(' · ')}
            </p>
            {dropOffsOf(report.data).length ? (
              <table class="data-table">
                <caption>Outside the funnel</caption>
                <tbody>
                  {dropOffsOf(report.data).map((row) => (
                    <tr key={row.label}>
                      <th scope="row">{row.label}</th>
                      <td>{row.count}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : null}
          </>
        ) : null}
      </section>
      <section aria-labelledby="recipients-title">
        <h2 id="recipients-title">Recipients</h2>
        <ul class="member-list" aria-label="Recipients">
          {recipients.items.map((r) => (
            <li key={r.customerId}>
              <span>{r.customerId}</span>
              <span>
                {r.outcome}
                {r.reason ? ` (${r.reason})` : ''}
              </span>
            </li>
          ))}
        </ul>
        <Pager list={recipients} />
      </section>
    </Page>
  );
}
