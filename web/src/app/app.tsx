import { Route, Router, Switch } from 'wouter-preact';
import { useHashLocation } from 'wouter-preact/use-hash-location';
import { useSession } from '../auth/session.ts';
import { SignInScreen } from '../auth/sign-in.screen.tsx';
import { ROLE_LABELS } from '../auth/roles.ts';
import { Page } from '../ui/page.tsx';
import { Layout } from './layout.tsx';
import { type ConsoleRoute, ROUTES } from './routes.tsx';

// Hash routes (/#/cases/…): they never collide with the API's paths on the same origin and need
// no rewrite rules on S3 and CloudFront.

export function App() {
  const session = useSession();
  return (
    <Router hook={useHashLocation}>
      {!session ? (
        <SignInScreen />
      ) : (
        <Layout session={session}>
          <Switch>
            {ROUTES.map((route) => (
              <Route key={route.path} path={route.path}>
                {(params: Record<string, string | undefined>) => <Guarded route={route} params={params} />}
              </Route>
            ))}
            <Route>
              <Page title="Not found">
                <p>There is no screen at this address.</p>
              </Page>
            </Route>
          </Switch>
        </Layout>
      )}
    </Router>
  );
}

/** The role guard: a route whose roles exclude the session's shows a refusal, never the screen. */
function Guarded({ route, params }: { route: ConsoleRoute; params: Record<string, string | undefined> }) {
  const session = useSession();
  if (!session) return null;
  if (!route.roles.includes(session.role)) {
    return (
      <Page title="Not available">
        <p>
          “{route.title}” is not available for your role ({ROLE_LABELS[session.role]}).
        </p>
      </Page>
    );
  }
  const Screen = route.component;
  return <Screen params={params} />;
}
