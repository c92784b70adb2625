import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import type { Role } from '../topology.ts';

// The local issuer: dev tokens with the claims Cognito puts in an ID token. The key is derived
// from a fixed, public seed: these tokens are for this machine only and mean nothing in AWS.

export const LOCAL_ISSUER = 'http://localhost/local-issuer';
export const LOCAL_AUDIENCE = 'ecrm-local-client';

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
  readonly email?: string;
  readonly ttlSeconds?: number;
}

export async function signDevToken(options: DevTokenOptions): Promise<string> {
  const sub = options.sub ?? `local-${options.role}`;
  return new SignJWT({
    'cognito:groups': [options.role],
    'cognito:username': sub,
    token_use: 'id',
    email: options.email ?? `${sub}@example.test`,
    ...(options.customerId ? { 'custom:customerId': options.customerId } : {}),
  })
    .setProtectedHeader({ alg: 'EdDSA', kid: 'local-1' })
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(`${options.ttlSeconds ?? 12 * 3600}s`)
    .sign(privateKey);
}

/** Verifies like API Gateway's JWT authorizer: signature, issuer, audience, expiry. */
export async function verifyDevToken(token: string): Promise<Record<string, unknown> | undefined> {
  try {
    const { payload } = await jwtVerify(token, publicKey, { issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE, algorithms: ['EdDSA'] });
    return payload as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
