import './portal.css';
import { useEffect, useState } from 'preact/hooks';
import { api, type components, unwrap } from '../../api/client.ts';
import { type ApiProblem, toProblem } from '../../api/problem.ts';
import { Page, ProblemAlert, useResource } from '../../ui/index.ts';
import { erasureNotice, exportFileName, exportJson, exportSections } from './my-data.ts';

// The person's rights over their data: a copy of everything held about them (GET /me/export, the
// GDPR access and portability document, saved as the API answers it), and erasure on request
// (DELETE /me), which runs after the grace period unless cancelled, behind a confirmation step.

type CustomerExport = components['schemas']['CustomerExport'];

export function MyDataScreen() {
  return (
    <Page title="My data">
      <ExportPanel />
      <ErasurePanel />
    </Page>
  );
}

function ExportPanel() {
  const [doc, setDoc] = useState<CustomerExport | null>(null);
  const [href, setHref] = useState<string | null>(null);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => () => void (href && URL.revokeObjectURL(href)), [href]);

  async function prepare() {
    setProblem(null);
    setBusy(true);
    try {
      const exported = await unwrap(await api().GET('/me/export'));
      setDoc(exported);
      setHref(URL.createObjectURL(new Blob([exportJson(exported)], { type: 'application/json' })));
    } catch (error) {
      setProblem(toProblem(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="portal-section" aria-labelledby="export-title">
      <h2 id="export-title">A copy of your data</h2>
      <p>Everything we hold about you, in one JSON file you can keep or take to another service.</p>
      <button type="button" onClick={prepare} disabled={busy}>
        {doc ? 'Prepare a fresh copy' : 'Prepare my data'}
      </button>
      <ProblemAlert problem={problem} />
      {doc && href ? (
        <div class="portal-export">
          <p role="status">Your data as of {doc.exportedAt.slice(0, 16).replace('T', ' ')} UTC:</p>
          <table aria-label="What the copy holds">
            <tbody>
              {exportSections(doc).map((s) => (
                <tr key={s.key}>
                  <th scope="row">{s.label}</th>
                  <td>{s.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            <a href={href} download={exportFileName(doc)}>
              Download {exportFileName(doc)}
            </a>
          </p>
          <details>
            <summary>Show the file</summary>
            <pre class="portal-json" tabIndex={0} aria-label="Your data as JSON">
              {exportJson(doc)}
            </pre>
          </details>
        </div>
      ) : null}
    </section>
  );
}

async function loadErasure() {
  const result = await api().GET('/me/erasure');
  // No pending request is a 404 the API documents: that is "nothing asked", not a failure.
  if (result.response.status === 404) return null;
  return unwrap(result);
}

function ErasurePanel() {
  const request = useResource(loadErasure, []);
  const [confirming, setConfirming] = useState(false);
  const [understood, setUnderstood] = useState(false);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);

  async function act(call: () => Promise<unknown>) {
    setProblem(null);
    setBusy(true);
    try {
      await call();
      setConfirming(false);
      setUnderstood(false);
      request.reload();
    } catch (error) {
      setProblem(toProblem(error));
    } finally {
      setBusy(false);
    }
  }

  const pending = request.data?.status === 'pending';
  return (
    <section class="portal-section" aria-labelledby="erasure-title">
      <h2 id="erasure-title">Erase my account</h2>
      <ProblemAlert problem={request.problem ?? problem} />
      {request.data ? <p class="notice">{erasureNotice(request.data)}</p> : null}
      {pending ? (
        <button type="button" disabled={busy} onClick={() => act(async () => unwrap(await api().POST('/me/erasure/cancel')))}>
          Cancel the erasure
        </button>
      ) : request.data === null && !confirming ? (
        <>
          <p>We erase your profile, cases, consents and history after a grace period, during which you can change your mind.</p>
          <button type="button" onClick={() => setConfirming(true)}>
            Erase my account…
          </button>
        </>
      ) : null}
      {confirming && !pending ? (
        <div class="portal-confirm" role="group" aria-labelledby="erasure-confirm-title">
          <p id="erasure-confirm-title" class="problem-title">
            Erasure cannot be undone once it runs.
          </p>
          <p>Your cases and their conversations, your consents and your history are deleted for good. Until the date we show next, you can cancel here.</p>
          <label class="choice">
            <input type="checkbox" checked={understood} onChange={(e) => setUnderstood(e.currentTarget.checked)} />I understand: erase my account
          </label>
          <div class="portal-actions">
            <button type="button" class="danger" disabled={!understood || busy} onClick={() => act(async () => unwrap(await api().DELETE('/me')))}>
              Request erasure
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Keep my account
            </button>
          </div>
        </div>
      ) : null}
    </section>
  );
}
