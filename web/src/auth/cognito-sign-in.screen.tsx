import { useEffect, useRef, useState } from 'preact/hooks';
import { APP_NAME } from '../ui/page.tsx';
import { type CognitoConfig, completeSignIn, startSignIn } from './cognito-pkce.ts';
import { lastSignOutReason, signIn } from './session.ts';

// On AWS: one button to the Cognito hosted UI, and the return from it (?code&state on this page),
// which completes the sign-in and takes the code out of the address bar and the history.

export function CognitoSignInScreen({ auth }: { auth: CognitoConfig }) {
  const returning = isCallback(new URL(window.location.href));
  const [busy, setBusy] = useState(returning);
  const [failure, setFailure] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const expired = lastSignOutReason() === 'expired';

  useEffect(() => {
    document.title = `Sign in · ${APP_NAME}`;
    heading.current?.focus();
    if (!returning) return;
    const url = new URL(window.location.href);
    // The code is single-use and short-lived; it has no business in the history or a bookmark.
    window.history.replaceState(null, '', `${url.pathname}${url.hash}`);
    completeSignIn(auth, url).then(
      (session) => {
        if (session) signIn(session);
        else setBusy(false);
      },
      (error: unknown) => {
        setFailure(error instanceof Error ? error.message : String(error));
        setBusy(false);
      },
    );
  }, []);

  async function go() {
    setBusy(true);
    setFailure(null);
    try {
      await startSignIn(auth);
    } catch (error) {
      setFailure(error instanceof Error ? error.message : String(error));
      setBusy(false);
    }
  }

  return (
    <main id="main" class="sign-in">
      <h1 ref={heading} tabIndex={-1}>
        Sign in to the {APP_NAME}
      </h1>
      {expired ? (
        <p class="notice" role="status">
          Your session has ended. Sign in again to continue.
        </p>
      ) : null}
      {failure ? (
        <div class="problem" role="alert">
          <strong>Sign-in failed</strong>
          <p>{failure}</p>
        </div>
      ) : null}
      {returning && busy ? <p role="status">Signing you in…</p> : null}
      <button type="button" onClick={go} disabled={busy}>
        Sign in
      </button>
    </main>
  );
}

function isCallback(url: URL): boolean {
  return url.searchParams.has('code') || url.searchParams.has('error');
}
