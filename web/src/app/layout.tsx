import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { Link, useLocation } from 'wouter-preact';
import { ROLE_LABELS } from '../auth/roles.ts';
import { type Session, signOut } from '../auth/session.ts';
import { APP_NAME } from '../ui/page.tsx';
import { routesFor } from './routes.tsx';

/** The frame around every signed-in screen: skip link, the role's navigation, sign-out. */
export function Layout({ session, children }: { session: Session; children: ComponentChildren }) {
  const [location] = useLocation();
  const nav = routesFor(session.role).filter((route) => route.nav);
  // A new address is a new screen: move the focus to its heading (Page does it when it mounts;
  // this covers a screen that stays mounted while its parameters change), never on first load.
  const previous = useRef(location);
  useEffect(() => {
    if (previous.current === location) return;
    previous.current = location;
    document.querySelector<HTMLElement>('main h1')?.focus();
  }, [location]);
  return (
    <>
      <a class="skip-link" href="#main" onClick={skipToMain}>
        Skip to content
      </a>
      <header class="topbar">
        <span class="brand">{APP_NAME}</span>
        <nav aria-label="Main">
          <ul>
            {nav.map((route) => (
              <li key={route.path}>
                <Link href={route.path} aria-current={isCurrent(route.path, location) ? 'page' : undefined}>
                  {route.title}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div class="who">
          <span>{ROLE_LABELS[session.role]}</span>
          <button type="button" onClick={() => signOut('signed-out')}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}

const isCurrent = (path: string, location: string) => (path === '/' ? location === '/' : location === path || location.startsWith(`${path}/`));

// The hash router owns location.hash, so the skip link moves the focus itself instead of navigating.
function skipToMain(event: MouseEvent) {
  event.preventDefault();
  document.getElementById('main')?.focus();
}
