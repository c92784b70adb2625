import { createHash, randomBytes, webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type CognitoConfig, completeSignIn, PKCE_KEY, type PkceEnvironment, pkceChallenge, SignInError, signOutUrl, startSignIn } from '../../web/src/auth/cognito-pkce.ts';

// The console's Cognito sign-in (authorization code + PKCE). The browser's edges are faked: the
// storage is a Map, and fetch is a fake Cognito that issues a code at /oauth2/authorize bound to
// the challenge and redirect URI it was given, and at /oauth2/token checks the verifier against
// that challenge the way Cognito does (RFC 7636 4.6), so a wrong verifier fails here too.

const config: CognitoConfig = { kind: 'cognito', domain: 'https://crm-1a2b3c4d.auth.eu-west-1.amazoncognito.com', clientId: 'console-client', redirectUri: 'https://d111.cloudfront.net/' };
const NOW = Date.UTC(2026, 11, 1, 17, 0, 0);

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
const idToken = (claims: Record<string, unknown>) =>
  `${b64url({ alg: 'RS256', kid: 'k1' })}.${b64url({ token_use: 'id', aud: config.clientId, iss: 'https://cognito-idp.eu-west-1.amazonaws.com/pool', exp: NOW / 1000 + 3600, ...claims })}.c2lnbmF0dXJl`;

interface Issued {
  readonly challenge: string;
  readonly redirectUri: string;
  readonly clientId: string;
}

/** A browser tab signing in against a fake Cognito that holds one user. */
function tab(user: Record<string, unknown>, options: { now?: () => number } = {}) {
  const storage = new Map<string, string>();
  const codes = new Map<string, Issued>();
  const tokenRequests: { url: string; headers: Record<string, string>; form: URLSearchParams }[] = [];
  let location = '';
  const env: PkceEnvironment = {
    storage: { getItem: (k) => storage.get(k) ?? null, setItem: (k, v) => void storage.set(k, v), removeItem: (k) => void storage.delete(k) },
    navigate: (url) => void (location = url),
    random: (bytes) => void webcrypto.getRandomValues(bytes),
    sha256: (data) => webcrypto.subtle.digest('SHA-256', data),
    now: options.now ?? (() => NOW),
    fetch: async (url, init) => {
      const form = new URLSearchParams(String(init.body));
      tokenRequests.push({ url, headers: init.headers as Record<string, string>, form });
      if (url !== `${config.domain}/oauth2/token` || init.method !== 'POST') return Response.json({ error: 'not_found' }, { status: 404 });
      const issued = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      const valid =
        issued !== undefined &&
        form.get('grant_type') === 'authorization_code' &&
        form.get('client_id') === issued.clientId &&
        form.get('redirect_uri') === issued.redirectUri &&
        createHash('sha256').update(verifier).digest('base64url') === issued.challenge;
      if (!valid) return Response.json({ error: 'invalid_grant' }, { status: 400 });
      return Response.json({ id_token: idToken(user), access_token: 'access', refresh_token: 'refresh', token_type: 'Bearer', expires_in: 3600 });
    },
  };
  return {
    env,
    storage,
    tokenRequests,
    get location() {
      return new URL(location);
    },
    /** The hosted UI after the person signed in: back to the redirect URI with a fresh code. */
    signInAtHostedUi(): URL {
      const authorize = new URL(location);
      const code = randomBytes(12).toString('hex');
      codes.set(code, { challenge: authorize.searchParams.get('code_challenge')!, redirectUri: authorize.searchParams.get('redirect_uri')!, clientId: authorize.searchParams.get('client_id')! });
      const back = new URL(authorize.searchParams.get('redirect_uri')!);
      back.search = new URLSearchParams({ code, state: authorize.searchParams.get('state')! }).toString();
      return back;
    },
  };
}

describe('Cognito sign-in with PKCE', () => {
  it('derives the S256 challenge of RFC 7636, appendix B', async () => {
    expect(await pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', { sha256: (d) => webcrypto.subtle.digest('SHA-256', d) })).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('sends the browser to the hosted UI with a fresh S256 challenge and state, kept only in this tab', async () => {
    const browser = tab({ sub: 'u1', 'cognito:groups': ['agent'] });
    await startSignIn(config, browser.env);
    const url = browser.location;
    expect(`${url.origin}${url.pathname}`).toBe(`${config.domain}/oauth2/authorize`);
    const params = Object.fromEntries(url.searchParams);
    expect(params).toMatchObject({ response_type: 'code', client_id: 'console-client', redirect_uri: config.redirectUri, scope: 'openid email profile', code_challenge_method: 'S256' });
    const pending = JSON.parse(browser.storage.get(PKCE_KEY)!) as { verifier: string; state: string };
    expect(pending.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(params.state).toBe(pending.state);
    expect(params.code_challenge).toBe(createHash('sha256').update(pending.verifier).digest('base64url'));

    await startSignIn(config, browser.env);
    const again = JSON.parse(browser.storage.get(PKCE_KEY)!) as { verifier: string; state: string };
    expect(again.verifier).not.toBe(pending.verifier);
    expect(again.state).not.toBe(pending.state);
  });

  it('trades the code and the verifier for the ID token and returns the session its claims describe', async () => {
    const browser = tab({ sub: 'u-agent', 'cognito:groups': ['agent', 'marketer'] });
    await startSignIn(config, browser.env);
    const session = await completeSignIn(config, browser.signInAtHostedUi(), browser.env);
    expect(session).toEqual({ token: expect.stringMatching(/^ey/), role: 'agent', sub: 'u-agent', expiresAt: NOW + 3_600_000 });
    const [request] = browser.tokenRequests;
    expect(request!.headers).toEqual({ 'content-type': 'application/x-www-form-urlencoded' });
    expect(Object.fromEntries(request!.form)).toEqual({ grant_type: 'authorization_code', client_id: 'console-client', code: expect.any(String), redirect_uri: config.redirectUri, code_verifier: expect.any(String) });
    // The verifier is spent.
    expect(browser.storage.has(PKCE_KEY)).toBe(false);
  });

  it.each([
    ['a customer', { sub: 'u-c', 'cognito:groups': ['customer'], 'custom:customerId': 'CUS1' }, { role: 'customer', customerId: 'CUS1' }],
    ['a partner', { sub: 'u-p', 'cognito:groups': ['partner'], 'custom:accountId': 'ACC9' }, { role: 'partner', accountId: 'ACC9' }],
  ])('binds %s to the profile or account its token names', async (_, claims, expected) => {
    const browser = tab(claims);
    await startSignIn(config, browser.env);
    expect(await completeSignIn(config, browser.signInAtHostedUi(), browser.env)).toMatchObject(expected);
  });

  it('ignores a URL that is no callback', async () => {
    const browser = tab({ sub: 'u1', 'cognito:groups': ['agent'] });
    await startSignIn(config, browser.env);
    expect(await completeSignIn(config, new URL('https://d111.cloudfront.net/#/cases'), browser.env)).toBeNull();
    expect(browser.storage.has(PKCE_KEY)).toBe(true);
    expect(browser.tokenRequests).toEqual([]);
  });

  it('refuses a callback whose state this tab did not send, without calling Cognito', async () => {
    const browser = tab({ sub: 'u1', 'cognito:groups': ['agent'] });
    await startSignIn(config, browser.env);
    const forged = browser.signInAtHostedUi();
    forged.searchParams.set('state', 'attacker-state');
    await expect(completeSignIn(config, forged, browser.env)).rejects.toThrow(/not started in this tab/);
    expect(browser.tokenRequests).toEqual([]);
  });

  it('uses a verifier once: the same callback a second time is refused', async () => {
    const browser = tab({ sub: 'u1', 'cognito:groups': ['agent'] });
    await startSignIn(config, browser.env);
    const callback = browser.signInAtHostedUi();
    await completeSignIn(config, callback, browser.env);
    await expect(completeSignIn(config, callback, browser.env)).rejects.toBeInstanceOf(SignInError);
  });

  it("reports the hosted UI's error", async () => {
    const browser = tab({ sub: 'u1', 'cognito:groups': ['agent'] });
    await startSignIn(config, browser.env);
    const url = new URL(`${config.redirectUri}?error=access_denied&error_description=User+is+disabled&state=x`);
    await expect(completeSignIn(config, url, browser.env)).rejects.toThrow('Sign-in failed: User is disabled.');
    expect(browser.storage.has(PKCE_KEY)).toBe(false);
  });

  it("fails when Cognito refuses the exchange (the verifier is not the challenge's)", async () => {
    const browser = tab({ sub: 'u1', 'cognito:groups': ['agent'] });
    await startSignIn(config, browser.env);
    const callback = browser.signInAtHostedUi();
    const pending = JSON.parse(browser.storage.get(PKCE_KEY)!) as { verifier: string };
    browser.storage.set(PKCE_KEY, JSON.stringify({ ...pending, verifier: 'x'.repeat(43) }));
    await expect(completeSignIn(config, callback, browser.env)).rejects.toThrow(/Cognito refused the sign-in \(invalid_grant\)/);
  });

  it('refuses a verifier older than ten minutes', async () => {
    let now = NOW;
    const browser = tab({ sub: 'u1', 'cognito:groups': ['agent'] }, { now: () => now });
    await startSignIn(config, browser.env);
    now += 11 * 60 * 1000;
    await expect(completeSignIn(config, browser.signInAtHostedUi(), browser.env)).rejects.toThrow(/took too long/);
  });

  it.each([
    ['has no console role', { sub: 'u1', 'cognito:groups': [] }, /no role in this CRM/],
    ['is for another client', { sub: 'u1', 'cognito:groups': ['agent'], aud: 'other-client' }, /another application/],
    ['is an access token', { sub: 'u1', 'cognito:groups': ['agent'], token_use: 'access' }, /another application/],
    ['has expired', { sub: 'u1', 'cognito:groups': ['agent'], exp: NOW / 1000 - 1 }, /expired/],
  ])('refuses a token that %s', async (_, claims, message) => {
    const browser = tab(claims);
    await startSignIn(config, browser.env);
    await expect(completeSignIn(config, browser.signInAtHostedUi(), browser.env)).rejects.toThrow(message);
  });

  it('signs out of the hosted UI back to the console', () => {
    const url = new URL(signOutUrl(config));
    expect(`${url.origin}${url.pathname}`).toBe(`${config.domain}/logout`);
    expect(Object.fromEntries(url.searchParams)).toEqual({ client_id: 'console-client', logout_uri: config.redirectUri });
  });
});
