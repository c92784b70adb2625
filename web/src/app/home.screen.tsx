import { Link } from 'wouter-preact';
import { useSession } from '../auth/session.ts';
import { ROLE_LABELS } from '../auth/roles.ts';
import { Page } from '../ui/page.tsx';
import { ROUTES } from './routes.tsx';

/** Where everyone lands: who they are signed in as, and the screens their role opens. */
export function HomeScreen() {
  const session = useSession();
  if (!session) return null;
  const screens = ROUTES.filter((r) => r.path !== '/' && r.nav && r.roles.includes(session.role));
  return (
    <Page title="Home">
      <p>
        Signed in as <strong>{ROLE_LABELS[session.role]}</strong>
        {session.customerId ? <> (customer {session.customerId})</> : null}
        {session.accountId ? <> (partner account {session.accountId})</> : null}.
      </p>
      {screens.length ? (
        <ul class="home-links">
          {screens.map((r) => (
            <li key={r.path}>
              <Link href={r.path}>{r.title}</Link>
            </li>
          ))}
        </ul>
      ) : (
        <p>No screens for this role yet.</p>
      )}
    </Page>
  );
}
