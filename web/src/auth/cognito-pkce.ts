import type { AuthConfig } from '../config.ts';
import { decodeClaims, type Session, sessionFromToken } from './session.ts';

// Sign-in through the Cognito hosted UI: the OAuth 2.0 authorization code grant with PKCE
// (RFC 7636), the flow for a browser app, which can keep no client secret. startSignIn keeps a
// one-time verifier and state in sessionStorage and sends the browser to Cognito; Cognito sends it
// back to the redirect URI with ?code&state, and completeSignIn trades the code and the verifier
// for tokens at /oauth2/token. The console sends the ID token to the API: the API's JWT
// authorizer accepts it (its `aud` is this client) and the functions read `cognito:groups`,
// `custom:customerId` and `custom:accountId`, which only the ID token carries. It lasts an hour;
// then the session ends (useSession) and the person signs in again.

export type CognitoConfig = Extract<AuthConfig, { kind: 'cognito' }>;

/** What the flow touches in the browser; tests pass their own (a fake fetch is the token endpoint). */
export interface PkceEnvironment {
  readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  readonly fetch: (input: string, init: RequestInit) => Promise<Response>;
  readonly navigate: (url: string) => void;
  readonly random: (bytes: Uint8Array<ArrayBuffer>) => void;
  readonly sha256: (data: Uint8Array<ArrayBuffer>) => Promise<ArrayBuffer>;
  readonly now: () => number;
}

/** A sign-in that cannot finish; the message is meant for the person signing in. */
export class SignInError extends Error {
  override readonly name = 'SignInError';
}

export const PKCE_KEY = 'ecrm.pkce';
/** A verifier left by a sign-in that never came back is refused after this long. */
const PKCE_MAX_AGE_MS = 10 * 60 * 1000;
const SCOPES = 'openid email profile';

/** Sends the browser to the hosted UI, with a fresh S256 challenge and state. */
export async function startSignIn(config: CognitoConfig, env: PkceEnvironment = browserEnvironment()): Promise<void> {
  const verifier = randomString(env, 32);
  const state = randomString(env, 16);
  env.storage.setItem(PKCE_KEY, JSON.stringify({ verifier, state, createdAt: env.now() }));
  const url = new URL('/oauth2/authorize', config.domain);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: config.redirectUri,
    scope: SCOPES,
    state,
    code_challenge: await pkceChallenge(verifier, env),
    code_challenge_method: 'S256',
  }).toString();
  env.navigate(url.toString());
}

/**
 * Finishes the sign-in Cognito redirected back to `url` with. null when the URL is no callback
 * (no code, no error); throws SignInError when Cognito reported an error, the state is not the
 * one this tab sent, the verifier is gone or stale, the code exchange fails, or the token grants
 * no role of the console. The verifier is used once, whatever happens.
 */
export async function completeSignIn(config: CognitoConfig, url: URL, env: PkceEnvironment = browserEnvironment()): Promise<Session | null> {
  const code = url.searchParams.get('code');
  const error = url.searchParams.get('error');
  if (code === null && error === null) return null;
  const pending = readPending(env);
  env.storage.removeItem(PKCE_KEY);
  if (error !== null) throw new SignInError(`Sign-in failed: ${url.searchParams.get('error_description') ?? error}.`);
  if (!pending || pending.state !== url.searchParams.get('state')) {
    throw new SignInError('This sign-in was not started in this tab (or was already used). Sign in again.');
  }
  if (env.now() - pending.createdAt > PKCE_MAX_AGE_MS) throw new SignInError('The sign-in took too long. Sign in again.');

  const response = await env.fetch(new URL('/oauth2/token', config.domain).toString(), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      client_id: config.clientId,
      code: code!,
      redirect_uri: config.redirectUri,
      code_verifier: pending.verifier,
    }).toString(),
  });
  const body = (await response.json().catch(() => ({}))) as { id_token?: unknown; error?: unknown };
  if (!response.ok || typeof body.id_token !== 'string') {
    throw new SignInError(`Cognito refused the sign-in (${typeof body.error === 'string' ? body.error : `HTTP ${response.status}`}). Sign in again.`);
  }
  // The token came straight from Cognito over TLS (OpenID Connect Core 3.1.3.7), and the API
  // verifies its signature on every call; here it only has to be an ID token for this console.
  const claims = decodeClaims(body.id_token);
  if (claims?.token_use !== 'id' || claims.aud !== config.clientId) throw new SignInError('Cognito answered with a token for another application.');
  const session = sessionFromToken(body.id_token);
  if (!session) throw new SignInError('Your account has no role in this CRM yet: ask an administrator to add you to a group.');
  if (session.expiresAt <= env.now()) throw new SignInError('The sign-in expired. Sign in again.');
  return session;
}

/** Where signing out of the hosted UI too sends the browser (it then returns to the console). */
export function signOutUrl(config: CognitoConfig): string {
  const url = new URL('/logout', config.domain);
  url.search = new URLSearchParams({ client_id: config.clientId, logout_uri: config.redirectUri }).toString();
  return url.toString();
}

/** RFC 7636 4.2: BASE64URL(SHA-256(ASCII(code_verifier))). */
export async function pkceChallenge(verifier: string, env: Pick<PkceEnvironment, 'sha256'> = browserEnvironment()): Promise<string> {
  return base64Url(new Uint8Array(await env.sha256(new TextEncoder().encode(verifier))));
}

function readPending(env: PkceEnvironment): { verifier: string; state: string; createdAt: number } | undefined {
  try {
    const value = JSON.parse(env.storage.getItem(PKCE_KEY) ?? 'null') as { verifier?: unknown; state?: unknown; createdAt?: unknown } | null;
    if (typeof value?.verifier === 'string' && typeof value.state === 'string' && typeof value.createdAt === 'number') {
      return { verifier: value.verifier, state: value.state, createdAt: value.createdAt };
    }
  } catch {
    // unreadable: treated as no sign-in in progress
  }
  return undefined;
}

/** 32 random bytes make a 43-character verifier (RFC 7636 asks for 43 to 128 of [A-Za-z0-9-._~]). */
function randomString(env: PkceEnvironment, bytes: number): string {
  const buffer = new Uint8Array(bytes);
  env.random(buffer);
  return base64Url(buffer);
}

function base64Url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function browserEnvironment(): PkceEnvironment {
  return {
    storage: sessionStorage,
    fetch: (input, init) => fetch(input, init),
    // Through globalThis: the unit tests type-check this file with Node's types, which have no `location`.
    navigate: (url) => (globalThis as unknown as { location: { assign(url: string): void } }).location.assign(url),
    random: (bytes) => crypto.getRandomValues(bytes),
    sha256: (data) => crypto.subtle.digest('SHA-256', data),
    now: () => Date.now(),
  };
}
