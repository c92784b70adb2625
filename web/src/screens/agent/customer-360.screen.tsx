import './agent.css';
import { Fragment } from 'preact';
import { useCallback, useState } from 'preact/hooks';
import { Link } from 'wouter-preact';
import { api, unwrap, type components } from '../../api/client.ts';
import type { ScreenProps } from '../../app/routes.tsx';
import { Field, Page, Pager, ProblemAlert, usePagedList, useResource } from '../../ui/index.ts';
import { STATUS_WORDS } from './case-page.ts';
import { CHANNELS, type Channel, channelMix, EMAIL_TYPES, entryHeading, spentTotals, utcTime } from './customer-360.ts';
import { customerName } from './customer-search.ts';

type Interaction = components['schemas']['Interaction'];
type Case = components['schemas']['Case'];
type Customer = components['schemas']['Customer'];
type CustomerAccount = components['schemas']['CustomerAccount'];

/** Everything the API holds about one customer, each part read from its own route. */
export function Customer360Screen({ params }: ScreenProps) {
  const id = params.customerId ?? '';
  const profile = useResource(async () => unwrap(await api().GET('/customers/{id}', { params: { path: { id } } })), [id]);
  const customer = profile.data && 'email' in profile.data ? (profile.data as Customer) : undefined;
  return (
    <Page title={customer ? customerName(customer) : 'Customer'}>
      <ProblemAlert problem={profile.problem} />
      {profile.data && !customer ? (
        <p>
          This profile was merged into <Link href={`/customers/${profile.data.mergedInto}`}>another customer</Link>.
        </p>
      ) : null}
      {customer ? (
        <div class="c360">
          <Profile customer={customer} />
          <Stats customer={customer} />
          <Identities id={id} />
          <Accounts id={id} />
          <Timeline id={id} />
          <Cases id={id} />
          <Consents id={id} />
          <Emails id={id} />
        </div>
      ) : profile.loading ? (
        <p role="status">Loading…</p>
      ) : null}
    </Page>
  );
}

function Profile({ customer }: { customer: Customer }) {
  return (
    <section aria-labelledby="profile-title" class="panel">
      <h2 id="profile-title">Profile</h2>
      <dl class="facts">
        <dt>Email</dt>
        <dd>{customer.email}</dd>
        <dt>Phone</dt>
        <dd>{customer.phone ?? '—'}</dd>
        <dt>Locale</dt>
        <dd>{customer.locale ?? '—'}</dd>
        <dt>Time zone</dt>
        <dd>{customer.timezone ?? '—'}</dd>
        <dt>Tags</dt>
        <dd>{customer.tags.length > 0 ? customer.tags.join(', ') : '—'}</dd>
        <dt>Customer since</dt>
        <dd>{utcTime(customer.createdAt)}</dd>
        {Object.entries(customer.attributes).map(([key, value]) => (
          <Fragment key={key}>
            <dt>{key}</dt>
            <dd>{String(value)}</dd>
          </Fragment>
        ))}
      </dl>
    </section>
  );
}

function Stats({ customer }: { customer: Customer }) {
  const { stats } = customer;
  const mix = channelMix(stats);
  const spent = spentTotals(stats);
  return (
    <section aria-labelledby="stats-title" class="panel">
      <h2 id="stats-title">Stats</h2>
      <dl class="facts">
        <dt>Interactions</dt>
        <dd>{stats.interactionCount}</dd>
        <dt>Last interaction</dt>
        <dd>{stats.lastInteractionAt ? `${utcTime(stats.lastInteractionAt)} (${stats.lastChannel ?? 'unknown channel'})` : '—'}</dd>
        <dt>Purchases</dt>
        <dd>{stats.purchaseCount}</dd>
        <dt>Spent</dt>
        <dd>{spent.length > 0 ? spent.join(', ') : '—'}</dd>
        <dt>By channel</dt>
        <dd>{mix.length > 0 ? mix.map((m) => `${m.channel} ${m.count}`).join(', ') : '—'}</dd>
      </dl>
    </section>
  );
}

function Identities({ id }: { id: string }) {
  // The route answers every identity at once (no cursor).
  const identities = useResource(async () => (await unwrap(await api().GET('/customers/{id}/identities', { params: { path: { id } } }))).items, [id]);
  return (
    <section aria-labelledby="identities-title" class="panel">
      <h2 id="identities-title">Identities</h2>
      <ProblemAlert problem={identities.problem} />
      <ul>
        {(identities.data ?? []).map((i) => (
          <li key={`${i.type}:${i.value}`}>
            <strong>{i.type}</strong> {i.value} <span class="muted">· linked {utcTime(i.linkedAt)}</span>
          </li>
        ))}
      </ul>
      {identities.data?.length === 0 ? <p>No linked identity.</p> : null}
    </section>
  );
}

/** The B2B accounts the customer is a contact of, with their role (GET /customers/{id}/accounts, issue 12). */
function Accounts({ id }: { id: string }) {
  const list = usePagedList<CustomerAccount>(
    useCallback(async (cursor?: string) => unwrap(await api().GET('/customers/{id}/accounts', { params: { path: { id }, query: { limit: 10, ...(cursor ? { cursor } : {}) } } })), [id]),
  );
  return (
    <section aria-labelledby="accounts-title" class="panel">
      <h2 id="accounts-title">Accounts</h2>
      <ul>
        {list.items.map((m) => (
          <li key={m.account.id}>
            <strong>{m.account.name}</strong> <span class="muted">· {m.role}</span>
          </li>
        ))}
      </ul>
      <Pager list={list} />
    </section>
  );
}

function TimelineList({ list, label }: { list: ReturnType<typeof usePagedList<Interaction>>; label: string }) {
  return (
    <>
      <ol class="timeline" aria-label={label}>
        {list.items.map((e) => (
          <li key={`${e.kind}-${e.id}`}>
            <p class="timeline-head">
              <strong>{entryHeading(e)}</strong> · <time dateTime={e.occurredAt}>{utcTime(e.occurredAt)}</time>
            </p>
            {e.summary ? <p>{e.summary}</p> : null}
            {e.value ? (
              <p class="muted">
                {e.value.currency} {e.value.amount}
              </p>
            ) : null}
          </li>
        ))}
      </ol>
      <Pager list={list} />
    </>
  );
}

function Timeline({ id }: { id: string }) {
  const [channel, setChannel] = useState<Channel | ''>('');
  const list = usePagedList<Interaction>(
    useCallback(
      async (cursor?: string) => unwrap(await api().GET('/customers/{id}/timeline', { params: { path: { id }, query: { limit: 20, ...(channel ? { channel } : {}), ...(cursor ? { cursor } : {}) } } })),
      [id, channel],
    ),
  );
  return (
    <section aria-labelledby="timeline-title" class="panel panel-wide">
      <h2 id="timeline-title">Timeline</h2>
      <Field label="Channel" name="timeline-channel">
        <select value={channel} onChange={(e) => setChannel(e.currentTarget.value as Channel | '')}>
          <option value="">All channels</option>
          {CHANNELS.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      </Field>
      <TimelineList list={list} label="Timeline, newest first" />
    </section>
  );
}

function Cases({ id }: { id: string }) {
  const list = usePagedList<Case>(useCallback(async (cursor?: string) => unwrap(await api().GET('/cases', { params: { query: { customerId: id, limit: 10, ...(cursor ? { cursor } : {}) } } })), [id]));
  return (
    <section aria-labelledby="cases-title" class="panel">
      <h2 id="cases-title">Cases</h2>
      <ul>
        {list.items.map((c) => (
          <li key={c.id}>
            <Link href={`/cases/${c.id}`}>
              {c.number}: {c.subject}
            </Link>{' '}
            <span class="muted">· {STATUS_WORDS[c.status]}</span>
          </li>
        ))}
      </ul>
      <Pager list={list} />
    </section>
  );
}

function Consents({ id }: { id: string }) {
  const consents = useResource(async () => unwrap(await api().GET('/customers/{id}/consents', { params: { path: { id } } })), [id]);
  return (
    <section aria-labelledby="consents-title" class="panel">
      <h2 id="consents-title">Consents</h2>
      <ProblemAlert problem={consents.problem} />
      {consents.data ? (
        consents.data.topics.length > 0 ? (
          <ul>
            {consents.data.topics.map((t) => (
              <li key={t.topic}>
                <strong>{t.topic}</strong>: {t.state}
                {t.updatedAt ? <span class="muted"> · {utcTime(t.updatedAt)}</span> : null}
              </li>
            ))}
          </ul>
        ) : (
          <p>No consent recorded.</p>
        )
      ) : null}
    </section>
  );
}

function Emails({ id }: { id: string }) {
  const [type, setType] = useState<(typeof EMAIL_TYPES)[number]['type']>('email_sent');
  const list = usePagedList<Interaction>(
    useCallback(async (cursor?: string) => unwrap(await api().GET('/customers/{id}/timeline', { params: { path: { id }, query: { type, limit: 10, ...(cursor ? { cursor } : {}) } } })), [id, type]),
  );
  return (
    <section aria-labelledby="emails-title" class="panel">
      <h2 id="emails-title">Emails</h2>
      <Field label="Show" name="email-type">
        <select value={type} onChange={(e) => setType(e.currentTarget.value as typeof type)}>
          {EMAIL_TYPES.map((t) => (
            <option key={t.type} value={t.type}>
              {t.label}
            </option>
          ))}
        </select>
      </Field>
      <TimelineList list={list} label="Emails, newest first" />
    </section>
  );
}
