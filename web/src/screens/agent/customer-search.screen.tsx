import './agent.css';
import { useCallback, useState } from 'preact/hooks';
import { Link } from 'wouter-preact';
import { api, unwrap, type components } from '../../api/client.ts';
import type { ScreenProps } from '../../app/routes.tsx';
import { Field, Page, Pager, usePagedList } from '../../ui/index.ts';
import { type CustomerQuery, customerName, customerQuery, SEARCH_KINDS, type SearchKind } from './customer-search.ts';

type Customer = components['schemas']['Customer'];

/** Find a customer by email, phone, identity or tag with the API's lookups (GET /customers). */
export function CustomerSearchScreen(_props: ScreenProps) {
  const [kind, setKind] = useState<SearchKind>('email');
  const [text, setText] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [query, setQuery] = useState<CustomerQuery | null>(null);
  const hint = SEARCH_KINDS.find((k) => k.kind === kind)!.hint;

  return (
    <Page title="Find a customer">
      <form
        class="search-form"
        role="search"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          const built = customerQuery(kind, text);
          if ('error' in built) {
            setError(built.error);
            return;
          }
          setError(undefined);
          setQuery(built.query);
        }}
      >
        <Field label="Search by" name="kind">
          <select value={kind} onChange={(e) => setKind(e.currentTarget.value as SearchKind)}>
            {SEARCH_KINDS.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.label}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Search for" name="q" hint={hint} error={error} value={text} onInput={(e) => setText(e.currentTarget.value)} type={kind === 'email' ? 'email' : 'search'} autoComplete="off" />
        <button type="submit">Search</button>
      </form>
      <p class="inbox-note">The API looks customers up by exact email, linked identity (a phone number is one) or tag; it has no search by name.</p>
      {query ? <SearchResults query={query} /> : null}
    </Page>
  );
}

function SearchResults({ query }: { query: CustomerQuery }) {
  // Email and identity are exact lookups (one page, no cursor); a tag lists page by page.
  const fetchPage = useCallback(
    async (cursor?: string) => unwrap(await api().GET('/customers', { params: { query: { ...query, limit: 25, ...(cursor ? { cursor } : {}) } } })),
    [JSON.stringify(query)],
  );
  const list = usePagedList<Customer>(fetchPage);
  return (
    <section aria-labelledby="results-title">
      <h2 id="results-title">Results</h2>
      <ul class="customer-list">
        {list.items.map((c) => (
          <li key={c.id}>
            <Link href={`/customers/${c.id}`}>{customerName(c)}</Link>
            <span class="muted"> · {c.email}</span>
            {c.phone ? <span class="muted"> · {c.phone}</span> : null}
            {c.tags.length > 0 ? <span class="muted"> · tags: {c.tags.join(', ')}</span> : null}
          </li>
        ))}
      </ul>
      {!list.loading && !list.problem && list.items.length === 0 ? <p role="status">No customer found.</p> : <Pager list={list} />}
    </section>
  );
}
