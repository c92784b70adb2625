import { useEffect, useState } from 'preact/hooks';
import { ROLES, type Role } from './roles.ts';

// The signed-in person: the bearer token and what its claims say (role from cognito:groups, the
// customer or partner account it is bound to, expiry). Kept in sessionStorage: a tab's sign-in
// ends with the tab, and no token outlives the browser session on a shared desk.

export type { Role } from './roles.ts';

export interface Session {
  token: string;
  role: Role;
  sub: string;
  customerId?: string;
  accountId?: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

/** Why the last session ended, for the sign-in screen to say ("expired": the API refused the token). */
export type SignOutReason = 'signed-out' | 'expired';

export const SESSION_KEY = 'ecrm.session';
const REASON_KEY = 'ecrm.signOutReason';

const listeners = new Set<() => void>();
const notify = () => listeners.forEach((listener) => listener());

function decodeClaims(token: string): Record<string, unknown> | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const binary = atob(payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '='));
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)))) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/**
 * A session from a token's claims (an ID token of Cognito or of the local issuer). The highest
 * role of cognito:groups wins, in ROLES order. The API checks the token itself; this only decides
 * what the console shows.
 */
export function sessionFromToken(token: string): Session | null {
  const claims = decodeClaims(token);
  if (!claims) return null;
  const groups = Array.isArray(claims['cognito:groups']) ? (claims['cognito:groups'] as unknown[]) : [];
  const role = ROLES.find((r) => groups.includes(r));
  if (!role || typeof claims.sub !== 'string' || typeof claims.exp !== 'number') return null;
  return {
    token,
    role,
    sub: claims.sub,
    ...(typeof claims['custom:customerId'] === 'string' ? { customerId: claims['custom:customerId'] } : {}),
    ...(typeof claims['custom:accountId'] === 'string' ? { accountId: claims['custom:accountId'] } : {}),
    expiresAt: claims.exp * 1000,
  };
}

export function currentSession(): Session | null {
  const raw = sessionStorage.getItem(SESSION_KEY);
  if (!raw) return null;
  try {
    const session = JSON.parse(raw) as Session;
    if (typeof session.token !== 'string' || !ROLES.includes(session.role) || !(session.expiresAt > Date.now())) return null;
    return session;
  } catch {
    return null;
  }
}

export function signIn(session: Session) {
  sessionStorage.setItem(SESSION_KEY, JSON.stringify(session));
  sessionStorage.removeItem(REASON_KEY);
  notify();
}

export function signOut(reason: SignOutReason = 'signed-out') {
  sessionStorage.removeItem(SESSION_KEY);
  sessionStorage.setItem(REASON_KEY, reason);
  notify();
}

/** Why the previous session ended, if it did in this tab. */
export function lastSignOutReason(): SignOutReason | null {
  const reason = sessionStorage.getItem(REASON_KEY);
  return reason === 'expired' || reason === 'signed-out' ? reason : null;
}

/** The current session; re-renders on sign-in and sign-out, and signs out when the token expires. */
export function useSession(): Session | null {
  const [session, setSession] = useState(currentSession);
  useEffect(() => {
    const update = () => setSession(currentSession());
    listeners.add(update);
    update();
    return () => void listeners.delete(update);
  }, []);
  useEffect(() => {
    if (!session) return;
    // setTimeout's delay is a 32-bit signed integer: a longer wait would fire at once.
    const timer = setTimeout(() => signOut('expired'), Math.min(session.expiresAt - Date.now(), 2 ** 31 - 1));
    return () => clearTimeout(timer);
  }, [session]);
  return session;
}
