import './agent.css';
import { useCallback, useMemo, useState } from 'preact/hooks';
import { Link, useLocation } from 'wouter-preact';
import { api, unwrap, type components } from '../../api/client.ts';
import type { ScreenProps } from '../../app/routes.tsx';
import { Field, Page, Pager, usePagedList } from '../../ui/index.ts';
import { STATUS_WORDS } from './case-page.ts';
import { SlaBadge } from './sla-badge.tsx';
import { sortBySlaDue } from './sla-clock.ts';
import { useNow } from './use-now.ts';

type Case = components['schemas']['Case'];
type Status = Case['status'];
const STATUSES: readonly Status[] = ['open', 'pending', 'on_hold', 'solved', 'closed'];

/**
 * A queue's cases, the most urgent SLA first, with countdowns that tick every second from the
 * API's due times. GET /cases?queue=&status= is one index query (newest first, by cursor); the
 * order by due time is over the pages loaded, and "Load more" brings the next page into it.
 */
export function CaseInboxScreen({ params }: ScreenProps) {
  const queue = params.queue ?? 'general';
  const [status, setStatus] = useState<Status>('open');
  const [, navigate] = useLocation();
  const [queueInput, setQueueInput] = useState(queue);
  const now = useNow();

  const fetchPage = useCallback(
    async (cursor?: string) => unwrap(await api().GET('/cases', { params: { query: { queue, status, limit: 50, ...(cursor ? { cursor } : {}) } } })),
    [queue, status],
  );
  const list = usePagedList<Case>(fetchPage);
  const sorted = useMemo(() => sortBySlaDue(list.items), [list.items]);

  return (
    <Page title={`Inbox: ${queue}`}>
      <form
        class="inbox-filters"
        onSubmit={(event) => {
          event.preventDefault();
          const name = queueInput.trim();
          if (name) navigate(`/inbox/${encodeURIComponent(name)}`);
        }}
      >
        <Field label="Queue" name="queue" value={queueInput} onInput={(e) => setQueueInput(e.currentTarget.value)} autoComplete="off" />
        <Field label="Status" name="status">
          <select value={status} onChange={(e) => setStatus(e.currentTarget.value as Status)}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_WORDS[s]}
              </option>
            ))}
          </select>
        </Field>
        <button type="submit">Open queue</button>
      </form>
      <p class="inbox-note">Sorted by the SLA due time that is running; paused and finished cases last.</p>
      <ol class="case-list" aria-label={`Cases in ${queue}, ${STATUS_WORDS[status].toLowerCase()}`}>
        {sorted.map((c) => (
          <li key={c.id} class="case-row">
            <div class="case-row-head">
              <Link href={`/cases/${c.id}`}>
                {c.number}: {c.subject}
              </Link>
            </div>
            <div class="case-row-meta">
              <SlaBadge kase={c} now={now} />
              <span>
                Priority <strong>{c.priority}</strong>
              </span>
              <span>{c.assigneeId ? `Assigned to ${c.assigneeId}` : 'Unassigned'}</span>
            </div>
          </li>
        ))}
      </ol>
      <Pager list={list} />
    </Page>
  );
}
