import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { type JWTPayload, jwtVerify, SignJWT } from 'jose';
import type { Role } from '../topology.ts';

// The local issuer: dev tokens with the claims Cognito puts in an ID token. The key is derived
// from a fixed, public seed: these tokens are for this machine only and mean nothing in AWS.

export const LOCAL_ISSUER = 'http://localhost/local-issuer';
export const LOCAL_AUDIENCE = 'ecrm-local-client';
/** The one key of the local issuer's key set (Cognito's JWKS names each key by kid). */
export const LOCAL_KEY_ID = 'local-1';
/**
 * Tolerance for a token issued (iat) or valid from (nbf) slightly in the future, i.e. an issuer
 * whose clock runs ahead. AWS documents that iat and nbf must be before the current time and
 * names no tolerance; a minute absorbs ordinary drift without accepting post-dated tokens.
 */
export const JWT_CLOCK_SKEW_SECONDS = 60;

const seed = createHash('sha256').update('ecrm local development issuer v1').digest();
const privateKey: KeyObject = createPrivateKey({
  key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]),
  format: 'der',
  type: 'pkcs8',
});
const publicKey: KeyObject = createPublicKey(privateKey);

export interface DevTokenOptions {
  readonly role: Role;
  readonly sub?: string;
  readonly customerId?: string;
  /** The partner account a partner token works for (claim `custom:accountId`). */
  readonly accountId?: string;
  readonly email?: string;
  readonly ttlSeconds?: number;
  /** `access` carries the app client in client_id and no aud, as Cognito's access tokens do. */
  readonly tokenUse?: 'id' | 'access';
}

export async function signDevToken(options: DevTokenOptions): Promise<string> {
  const sub = options.sub ?? `local-${options.role}`;
  const now = Math.floor(Date.now() / 1000);
  const access = options.tokenUse === 'access';
  return signWithLocalKey({
    iss: LOCAL_ISSUER,
    ...(access ? { client_id: LOCAL_AUDIENCE } : { aud: LOCAL_AUDIENCE }),
    sub,
    iat: now,
    exp: now + (options.ttlSeconds ?? 12 * 3600),
    'cognito:groups': [options.role],
    'cognito:username': sub,
    token_use: access ? 'access' : 'id',
    email: options.email ?? `${sub}@example.test`,
    ...(options.customerId ? { 'custom:customerId': options.customerId } : {}),
    ...(options.accountId ? { 'custom:accountId': options.accountId } : {}),
  });
}

/** Signs exactly these claims with the local issuer's key (tests craft tokens API Gateway would refuse). */
export async function signWithLocalKey(claims: JWTPayload, header: { kid?: string | null } = {}): Promise<string> {
  const kid = header.kid === undefined ? LOCAL_KEY_ID : header.kid;
  return new SignJWT(claims).setProtectedHeader({ alg: 'EdDSA', ...(kid === null ? {} : { kid }) }).sign(privateKey);
}

/**
 * Verifies as API Gateway's JWT authorizer does: a kid of the issuer's key set, the signature,
 * iss, aud (or client_id when there is no aud), an exp in the future, and iat / nbf not in the
 * future (beyond JWT_CLOCK_SKEW_SECONDS).
 */
export async function verifyDevToken(token: string): Promise<Record<string, unknown> | undefined> {
  try {
    const { payload } = await jwtVerify(
      token,
      (header) => {
        if (header.kid !== LOCAL_KEY_ID) throw new Error('unknown kid');
        return publicKey;
      },
      { issuer: LOCAL_ISSUER, algorithms: ['EdDSA'], requiredClaims: ['exp'], clockTolerance: JWT_CLOCK_SKEW_SECONDS },
    );
    const now = Math.floor(Date.now() / 1000);
    // The tolerance above is for nbf; exp itself gets none, as in API Gateway.
    if (typeof payload.exp !== 'number' || payload.exp <= now) return undefined;
    if (payload.iat !== undefined && (typeof payload.iat !== 'number' || payload.iat > now + JWT_CLOCK_SKEW_SECONDS)) return undefined;
    // API Gateway checks client_id only when the token has no aud.
    const audience = payload.aud !== undefined ? payload.aud : payload.client_id;
    if (!(Array.isArray(audience) ? audience.includes(LOCAL_AUDIENCE) : audience === LOCAL_AUDIENCE)) return undefined;
    return payload as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
