import { describe, expect, it } from 'vitest';
import { principalFromClaims } from '../../functions/shared/auth.ts';
import { JWT_CLOCK_SKEW_SECONDS, LOCAL_AUDIENCE, LOCAL_ISSUER, signDevToken, signWithLocalKey, verifyDevToken } from '../../infra/local/dev-jwt.ts';

describe('principalFromClaims', () => {
  it('reads the "[admin manager]" form the API Gateway JWT authorizer flattens arrays to', () => {
    expect(principalFromClaims({ sub: 'u-1', 'cognito:groups': '[admin manager]' })).toEqual({ sub: 'u-1', roles: ['admin', 'manager'] });
  });

  it('reads a single flattened group "[agent]"', () => {
    expect(principalFromClaims({ sub: 'u-1', 'cognito:groups': '[agent]' })?.roles).toEqual(['agent']);
  });

  it('reads a JSON array string', () => {
    expect(principalFromClaims({ sub: 'u-1', 'cognito:groups': '["admin","marketer"]' })?.roles).toEqual(['admin', 'marketer']);
  });

  it('reads a real array', () => {
    expect(principalFromClaims({ sub: 'u-1', 'cognito:groups': ['manager', 'agent'] })?.roles).toEqual(['manager', 'agent']);
  });

  it('reads a bare comma-separated list', () => {
    expect(principalFromClaims({ sub: 'u-1', 'cognito:groups': 'agent, marketer' })?.roles).toEqual(['agent', 'marketer']);
  });

  it('drops groups that are not roles of this system', () => {
    expect(principalFromClaims({ sub: 'u-1', 'cognito:groups': '[root admin Admins]' })?.roles).toEqual(['admin']);
    expect(principalFromClaims({ sub: 'u-1', 'cognito:groups': '["superuser"]' })?.roles).toEqual([]);
  });

  it('gives a principal without roles when the groups claim is absent or not a string', () => {
    expect(principalFromClaims({ sub: 'u-1' })).toEqual({ sub: 'u-1', roles: [] });
    expect(principalFromClaims({ sub: 'u-1', 'cognito:groups': 42 })?.roles).toEqual([]);
  });

  it('carries custom:customerId for self-service tokens, and only when non-empty', () => {
    expect(principalFromClaims({ sub: 'u-2', 'cognito:groups': '[customer]', 'custom:customerId': 'c-7' })).toEqual({
      sub: 'u-2',
      roles: ['customer'],
      customerId: 'c-7',
    });
    expect(principalFromClaims({ sub: 'u-2', 'cognito:groups': '[customer]', 'custom:customerId': '' })).not.toHaveProperty('customerId');
  });

  it('carries custom:accountId for partner tokens, and only when non-empty', () => {
    expect(principalFromClaims({ sub: 'u-3', 'cognito:groups': '[partner]', 'custom:accountId': 'acc-9' })).toEqual({
      sub: 'u-3',
      roles: ['partner'],
      accountId: 'acc-9',
    });
    expect(principalFromClaims({ sub: 'u-3', 'cognito:groups': '[partner]', 'custom:accountId': '' })).not.toHaveProperty('accountId');
  });

  it('is undefined without claims, without sub, or with an empty or non-string sub', () => {
    expect(principalFromClaims(undefined)).toBeUndefined();
    expect(principalFromClaims({ 'cognito:groups': '[admin]' })).toBeUndefined();
    expect(principalFromClaims({ sub: '', 'cognito:groups': '[admin]' })).toBeUndefined();
    expect(principalFromClaims({ sub: 7, 'cognito:groups': '[admin]' })).toBeUndefined();
  });
});

describe('verifyDevToken (the local gateway checks tokens as API Gateway\'s JWT authorizer does)', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const claims = (extra: Record<string, unknown> = {}) => ({
    iss: LOCAL_ISSUER,
    aud: LOCAL_AUDIENCE,
    sub: 'u-1',
    'cognito:groups': ['agent'],
    iat: now(),
    exp: now() + 3600,
    ...extra,
  });
  const without = (name: string) => {
    const all: Record<string, unknown> = claims();
    delete all[name];
    return all;
  };

  it('accepts a token from signDevToken', async () => {
    expect(await verifyDevToken(await signDevToken({ role: 'agent' }))).toMatchObject({ sub: 'local-agent' });
  });

  it('refuses a token without exp (API Gateway requires it)', async () => {
    expect(await verifyDevToken(await signWithLocalKey(without('exp')))).toBeUndefined();
  });

  it('refuses an expired token', async () => {
    expect(await verifyDevToken(await signWithLocalKey(claims({ iat: now() - 7200, exp: now() - 1 })))).toBeUndefined();
  });

  it('refuses a token whose kid names no key of the issuer, or that names none', async () => {
    expect(await verifyDevToken(await signWithLocalKey(claims(), { kid: 'rotated-away' }))).toBeUndefined();
    expect(await verifyDevToken(await signWithLocalKey(claims(), { kid: null }))).toBeUndefined();
  });

  it('refuses a token issued in the future beyond a small clock skew, and allows the skew', async () => {
    expect(await verifyDevToken(await signWithLocalKey(claims({ iat: now() + 600 })))).toBeUndefined();
    expect(await verifyDevToken(await signWithLocalKey(claims({ iat: now() + JWT_CLOCK_SKEW_SECONDS + 5 })))).toBeUndefined();
    expect(await verifyDevToken(await signWithLocalKey(claims({ iat: now() + 10 })))).toBeDefined();
  });

  it('refuses a token that is not valid yet (nbf) beyond the skew', async () => {
    expect(await verifyDevToken(await signWithLocalKey(claims({ nbf: now() + 600 })))).toBeUndefined();
  });

  it('accepts client_id in place of aud, as for Cognito access tokens', async () => {
    const access = { ...without('aud'), client_id: LOCAL_AUDIENCE, token_use: 'access' };
    expect(await verifyDevToken(await signWithLocalKey(access))).toMatchObject({ client_id: LOCAL_AUDIENCE });
    expect(await verifyDevToken(await signDevToken({ role: 'manager', tokenUse: 'access' }))).toMatchObject({ client_id: LOCAL_AUDIENCE });
  });

  it('refuses a wrong client_id, and judges aud alone when both are present', async () => {
    expect(await verifyDevToken(await signWithLocalKey({ ...without('aud'), client_id: 'someone-else' }))).toBeUndefined();
    expect(await verifyDevToken(await signWithLocalKey(claims({ aud: 'someone-else', client_id: LOCAL_AUDIENCE })))).toBeUndefined();
    expect(await verifyDevToken(await signWithLocalKey(without('aud')))).toBeUndefined();
  });

  it('refuses another issuer', async () => {
    expect(await verifyDevToken(await signWithLocalKey(claims({ iss: 'https://evil.example' })))).toBeUndefined();
  });
});
