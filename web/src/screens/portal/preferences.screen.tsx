import './portal.css';
import { useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client.ts';
import { ApiProblem, toProblem } from '../../api/problem.ts';
import { validateRequestBody } from '../../forms/validate.ts';
import { Page, ProblemAlert, useResource } from '../../ui/index.ts';
import { preferenceRows, type PreferenceRow, STATE_LABELS } from './preferences.ts';

// The preference centre: every topic with its state and one button to subscribe or unsubscribe
// (PUT /me/consents with that one flag). Subscribing is a double opt-in the API starts by email,
// so a subscribed topic first reads "awaiting your confirmation"; the history that tells the two
// apart is the person's consent ledger, which the export (GET /me/export) holds. A button in use is
// aria-disabled rather than disabled, so that the keyboard focus stays on it while it works.

async function loadPreferences(): Promise<PreferenceRow[]> {
  const [topics, flags, history] = await Promise.all([
    api().GET('/topics').then(unwrap),
    api().GET('/me/consents').then(unwrap),
    api().GET('/me/export').then(unwrap),
  ]);
  return preferenceRows(topics, flags.topics, history.consents);
}

export function PreferencesScreen() {
  const rows = useResource(loadPreferences, []);
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [said, setSaid] = useState('');

  async function change(row: PreferenceRow) {
    if (busy !== null) return;
    const body = { topics: { [row.topicId]: !row.on } };
    setProblem(null);
    setSaid('');
    const invalid = validateRequestBody('putMyConsents', body);
    if (Object.keys(invalid).length > 0) {
      setProblem(new ApiProblem({ status: 0, title: 'Not sent', detail: Object.values(invalid).join(' ') }));
      return;
    }
    setBusy(row.topicId);
    try {
      await unwrap(await api().PUT('/me/consents', { body }));
      setSaid(row.on ? `Unsubscribed from ${row.name}.` : `Almost done: we emailed you a link to confirm ${row.name}.`);
      rows.reload();
    } catch (error) {
      setProblem(toProblem(error));
    } finally {
      setBusy(null);
    }
  }

  return (
    <Page title="Email preferences">
      <p>Choose what we may email you about. Subscribing takes one more step: you confirm through the link we email you.</p>
      <ProblemAlert problem={rows.problem ?? problem} />
      <p role="status" class="portal-status">
        {said}
      </p>
      {rows.data ? (
        <ul class="portal-topics" aria-label="Topics">
          {rows.data.map((row) => (
            <li key={row.topicId} class="portal-topic">
              <div>
                <h2 id={`topic-${row.topicId}`}>{row.name}</h2>
                {row.description ? <p>{row.description}</p> : null}
                <p class="portal-meta">
                  {row.purpose === 'service' ? 'Service messages' : 'Marketing'} · <span class={`portal-state portal-state-${row.state}`}>{STATE_LABELS[row.state]}</span>
                  {row.since ? <> · since {row.since.slice(0, 10)}</> : null}
                </p>
              </div>
              <button type="button" aria-describedby={`topic-${row.topicId}`} aria-disabled={busy !== null ? 'true' : undefined} onClick={() => change(row)}>
                {row.on ? `Unsubscribe from ${row.name}` : `Subscribe to ${row.name}`}
              </button>
            </li>
          ))}
        </ul>
      ) : rows.loading ? (
        <p role="status">Loading…</p>
      ) : null}
    </Page>
  );
}
