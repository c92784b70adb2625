import { useCallback } from 'preact/hooks';
import { Link } from 'wouter-preact';
import { api, unwrap } from '../../api/client.ts';
import { Page, Pager, usePagedList } from '../../ui/index.ts';
import '../backoffice.css';

/** Segments, newest first, page by page (GET /segments with its cursors). */
export function SegmentsScreen() {
  const fetchPage = useCallback((cursor?: string) => api().GET('/segments', { params: { query: { limit: 25, ...(cursor ? { cursor } : {}) } } }).then(unwrap), []);
  const list = usePagedList(fetchPage);
  return (
    <Page title="Segments" actions={<Link href="/marketer/segments/new">New segment</Link>}>
      <ul class="member-list" aria-label="Segments">
        {list.items.map((s) => (
          <li key={s.id}>
            <Link href={`/marketer/segments/${encodeURIComponent(s.id)}`}>{s.name}</Link>
            <span>{new Date(s.updatedAt).toLocaleDateString()}</span>
          </li>
        ))}
      </ul>
      <Pager list={list} />
    </Page>
  );
}
