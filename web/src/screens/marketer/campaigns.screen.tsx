import { useCallback } from 'preact/hooks';
import { Link } from 'wouter-preact';
import { api, unwrap } from '../../api/client.ts';
import { Page, Pager, usePagedList } from '../../ui/index.ts';
import '../backoffice.css';

/** Campaigns, newest first, page by page (GET /campaigns with its cursors). */
export function CampaignsScreen() {
  const fetchPage = useCallback((cursor?: string) => api().GET('/campaigns', { params: { query: { limit: 25, ...(cursor ? { cursor } : {}) } } }).then(unwrap), []);
  const list = usePagedList(fetchPage);
  return (
    <Page title="Campaigns" actions={<Link href="/marketer/campaigns/new">New campaign</Link>}>
      <ul class="member-list" aria-label="Campaigns">
        {list.items.map((c) => (
          <li key={c.id}>
            <Link href={`/marketer/campaigns/${encodeURIComponent(c.id)}`}>{c.name}</Link>
            <span>{c.status}</span>
          </li>
        ))}
      </ul>
      <Pager list={list} />
    </Page>
  );
}
