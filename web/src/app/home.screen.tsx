import { Link } from 'wouter-preact';
import { api, unwrap } from '../api/client.ts';
import { ROLE_LABELS, type Role } from '../auth/roles.ts';
import { type Session, useSession } from '../auth/session.ts';
import { Page } from '../ui/page.tsx';
import { ProblemAlert } from '../ui/problem-alert.tsx';
import { useResource } from '../ui/use-resource.ts';
import { ROUTES } from './routes.tsx';

/** What each role comes here for, above the list of its screens. */
const PURPOSE: Record<Role, string> = {
  admin: 'You can open every staff screen: cases, customers, reports, campaigns and settings.',
  manager: 'Watch the service levels, staff the queues and set the SLA policies.',
  agent: 'Work your queues’ cases before their SLA runs out, and look up the customers behind them.',
  marketer: 'Build segments, write campaigns and see how they perform, with every consent respected.',
  partner: 'Follow the leads and opportunities of your partner account.',
  customer: 'Your cases with us, your profile, and what we may send you.',
};

/** Where everyone lands: who they are signed in as, what their role is for, and its screens. */
export function HomeScreen() {
  const session = useSession();
  if (!session) return null;
  const screens = ROUTES.filter((r) => r.path !== '/' && r.nav && r.roles.includes(session.role));
  return (
    <Page title="Home">
      {session.role === 'customer' ? <CustomerGreeting /> : <StaffGreeting session={session} />}
      <p>{PURPOSE[session.role]}</p>
      {screens.length ? (
        <nav aria-label="Your screens">
          <ul class="home-links">
            {screens.map((r) => (
              <li key={r.path}>
                <Link href={r.path}>{r.title}</Link>
              </li>
            ))}
          </ul>
        </nav>
      ) : (
        <p>No screens for this role yet.</p>
      )}
    </Page>
  );
}

function StaffGreeting({ session }: { session: Session }) {
  return (
    <p>
      Signed in as <strong>{ROLE_LABELS[session.role]}</strong>
      {session.accountId ? <> for partner account {session.accountId}</> : null}.
    </p>
  );
}

/** A customer is greeted by name: their profile (GET /me), the first call the portal makes. */
function CustomerGreeting() {
  const me = useResource(async () => unwrap(await api().GET('/me')), []);
  if (me.problem) return <ProblemAlert problem={me.problem} />;
  if (!me.data) return <p role="status">Loading…</p>;
  const name = [me.data.firstName, me.data.lastName].filter(Boolean).join(' ') || me.data.email;
  return (
    <p>
      Hello, <strong>{name}</strong>.
    </p>
  );
}
