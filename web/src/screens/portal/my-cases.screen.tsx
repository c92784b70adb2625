import './portal.css';
import { useCallback, useState } from 'preact/hooks';
import { Link } from 'wouter-preact';
import { api, unwrap } from '../../api/client.ts';
import { Field, Page, Pager, usePagedList } from '../../ui/index.ts';
import { CASE_STATUS_FILTERS, CASE_STATUS_LABELS, statusQuery } from './my-cases.ts';

// The person's cases, newest first (GET /me/cases), page by page with the API's cursors, with the
// API's own status filter.

export function MyCasesScreen() {
  const [status, setStatus] = useState('');
  const fetchPage = useCallback(
    async (cursor?: string) => unwrap(await api().GET('/me/cases', { params: { query: { limit: 20, ...statusQuery(status), ...(cursor ? { cursor } : {}) } } })),
    [status],
  );
  const list = usePagedList(fetchPage);
  return (
    <Page
      title="My cases"
      actions={
        <Link class="portal-button-link" href="/me/cases/new">
          Open a case
        </Link>
      }
    >
      <Field label="Show" name="status">
        <select value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
          {CASE_STATUS_FILTERS.map((f) => (
            <option key={f.value} value={f.value}>
              {f.label}
            </option>
          ))}
        </select>
      </Field>
      <ul class="portal-list" aria-label="Cases">
        {list.items.map((c) => (
          <li key={c.id}>
            <Link href={`/me/cases/${encodeURIComponent(c.id)}`}>{c.subject}</Link>
            <span class="portal-meta">
              {c.number} · {CASE_STATUS_LABELS[c.status]} · opened {c.createdAt.slice(0, 10)}
            </span>
          </li>
        ))}
      </ul>
      <Pager list={list} label="Show older cases" />
    </Page>
  );
}
