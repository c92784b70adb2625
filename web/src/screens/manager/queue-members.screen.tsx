import { useState } from 'preact/hooks';
import { api, unwrap } from '../../api/client.ts';
import { type ApiProblem, toProblem } from '../../api/problem.ts';
import { useSession } from '../../auth/session.ts';
import { validateRequestBody } from '../../forms/validate.ts';
import { Field, Page, ProblemAlert, useResource } from '../../ui/index.ts';
import { type QueueBody, type QueueView, withMember, withoutMember } from './queue-members.ts';
import '../backoffice.css';

const EMPTY: QueueView = { members: [], managers: [], escalateTo: null };

/**
 * A queue's members (GET/PUT /queues/{name}): the agents that take {auto: true} assignments and the
 * cases escalated into it. The API replaces the whole queue, and only admins may; managers read.
 */
export function QueueMembersScreen() {
  const session = useSession();
  const mayEdit = session?.role === 'admin';
  const [name, setName] = useState('general');
  const [draftName, setDraftName] = useState('general');
  const queue = useResource<QueueView | null>(async () => {
    const result = await api().GET('/queues/{name}', { params: { path: { name } } });
    // A queue nobody configured yet is a 404: an empty queue an admin may fill.
    if (result.response.status === 404) return null;
    return unwrap(result);
  }, [name]);
  const [member, setMember] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const current = queue.data ?? EMPTY;

  async function put(body: QueueBody) {
    const found = validateRequestBody('putQueue', body);
    const first = Object.entries(found)[0];
    if (first) {
      setError(first[1]);
      return false;
    }
    setBusy(true);
    setProblem(null);
    try {
      await unwrap(await api().PUT('/queues/{name}', { params: { path: { name } }, body }));
      queue.reload();
      return true;
    } catch (e) {
      setProblem(toProblem(e));
      return false;
    } finally {
      setBusy(false);
    }
  }

  return (
    <Page title="Queue members">
      <form
        class="filters"
        onSubmit={(event) => {
          event.preventDefault();
          setName(draftName.trim());
        }}
      >
        <Field label="Queue name" name="queue" value={draftName} onInput={(e) => setDraftName(e.currentTarget.value)} />
        <button type="submit">Open</button>
      </form>
      <ProblemAlert problem={queue.problem} />
      {queue.loading && queue.data === undefined ? <p role="status">Loading…</p> : null}
      {queue.data === null ? <p>The queue {name} has no configuration yet{mayEdit ? ': add a member to create it.' : '.'}</p> : null}
      {queue.data !== undefined ? (
        <>
          <h2>Members of {name}</h2>
          {current.members.length === 0 ? <p>No members.</p> : null}
          <ul class="member-list" aria-label={`Members of ${name}`}>
            {current.members.map((m) => (
              <li key={m}>
                <span>{m}</span>
                {mayEdit ? (
                  <button type="button" disabled={busy} aria-label={`Remove ${m}`} onClick={() => void put(withoutMember(current, m))}>
                    Remove
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
          <p>
            Managers notified: {current.managers.length ? current.managers.join(', ') : 'none'}. Escalates to: {current.escalateTo ?? 'nowhere (stays in this queue)'}.
          </p>
          {mayEdit ? (
            <form
              class="filters"
              onSubmit={async (event) => {
                event.preventDefault();
                setError(undefined);
                if (member.trim() === '') {
                  setError('Name the agent to add.');
                  return;
                }
                if (await put(withMember(current, member))) setMember('');
              }}
            >
              <Field label="Agent id or email" name="member" value={member} error={error} onInput={(e) => setMember(e.currentTarget.value)} />
              <button type="submit" disabled={busy}>
                Add member
              </button>
            </form>
          ) : (
            <p class="note">Only administrators change a queue's members.</p>
          )}
          <ProblemAlert problem={problem} />
        </>
      ) : null}
    </Page>
  );
}
