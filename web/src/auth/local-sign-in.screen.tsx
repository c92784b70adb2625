import { useEffect, useRef, useState } from 'preact/hooks';
import { config } from '../config.ts';
import { ApiProblem, problemFromResponse, toProblem } from '../api/problem.ts';
import { Field } from '../ui/field.tsx';
import { ProblemAlert } from '../ui/problem-alert.tsx';
import { APP_NAME, focusOnOpen } from '../ui/page.tsx';
import { ROLE_LABELS, ROLES, type Role } from './roles.ts';
import { lastSignOutReason, sessionFromToken, signIn } from './session.ts';

// Local only: a token from the local issuer (POST /_local/sign-in) for the role picked here, and
// for the portal the customer the token is bound to. On AWS the Cognito hosted UI replaces it.

export function LocalSignInScreen() {
  const [role, setRole] = useState<Role>('agent');
  const [customerId, setCustomerId] = useState('');
  const [accountId, setAccountId] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<ApiProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const expired = lastSignOutReason() === 'expired';

  useEffect(() => {
    document.title = `Sign in · ${APP_NAME}`;
    if (focusOnOpen()) heading.current?.focus();
  }, []);

  async function submit(event: Event) {
    event.preventDefault();
    const missing: Record<string, string> = {};
    if (role === 'customer' && !customerId.trim()) missing.customerId = 'Required for a customer: the portal shows this customer’s data.';
    setErrors(missing);
    if (Object.keys(missing).length) return;
    setBusy(true);
    setProblem(null);
    try {
      const response = await fetch(`${config().apiUrl}/_local/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          role,
          ...(role === 'customer' ? { customerId: customerId.trim() } : {}),
          ...(role === 'partner' && accountId.trim() ? { accountId: accountId.trim() } : {}),
        }),
      });
      const body: unknown = await response.json().catch(() => undefined);
      if (!response.ok) throw problemFromResponse(response.status, body);
      const session = sessionFromToken((body as { token: string }).token);
      if (!session) throw new ApiProblem({ status: 0, title: 'Unusable token', detail: 'The local issuer returned a token without a known role.' });
      signIn(session);
    } catch (error) {
      setProblem(toProblem(error));
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
      <p>Local development: pick a role and get a token from the local issuer.</p>
      <form onSubmit={submit} noValidate>
        <fieldset>
          <legend>Role</legend>
          {ROLES.map((r) => (
            <label key={r} class="choice">
              <input type="radio" name="role" value={r} checked={role === r} onChange={() => setRole(r)} /> {ROLE_LABELS[r]}
            </label>
          ))}
        </fieldset>
        {role === 'customer' ? (
          <Field label="Customer id" name="customerId" value={customerId} error={errors.customerId} autoComplete="off" onInput={(e) => setCustomerId(e.currentTarget.value)} />
        ) : null}
        {role === 'partner' ? (
          <Field label="Partner account id (optional)" name="accountId" value={accountId} autoComplete="off" onInput={(e) => setAccountId(e.currentTarget.value)} />
        ) : null}
        <ProblemAlert problem={problem} />
        <button type="submit" class="primary" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}
