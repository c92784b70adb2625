import { randomBytes } from 'node:crypto';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { boundedClientConfig, type ClientLimits } from './bounded-client.ts';
import { parseTokenKeyRing, type TokenKeyRing, type TokenKeys, tokenKeyRing } from './token-keys.ts';

// The token keys on AWS: one SecureString parameter (standard tier, AWS-managed key: no monthly
// price), read once per container by the first link token a function signs or checks. Only the
// token functions reach this file, and only through import() (ssmTokenKeysOnFirstUse in
// ssm-token-keys-on-first-use.ts), so the SSM client is a lazy chunk of theirs, off the cold start. CloudFormation
// cannot create a SecureString (and the stack has no custom resources), so the first read after
// the first deploy creates it: one fresh key, written only if no parameter exists; whoever loses
// that race reads the winner's. `npm run token-keys -- init` does the same by hand (and keeps a
// former TOKEN_SECRET for links already sent).

/** The first token of a container waits for this one call: short attempts, as for every other dependency. */
export const SSM_CLIENT_LIMITS: ClientLimits = { connectionTimeoutMs: 1_000, requestTimeoutMs: 2_000, maxAttempts: 3 };

/** A fresh key: 48 random bytes, base64url; its kid is the day it was made plus a random suffix. */
export function newTokenKey(now: Date, random: (bytes: number) => Buffer = randomBytes) {
  return { kid: `${now.toISOString().slice(0, 10).replaceAll('-', '')}-${random(3).toString('hex')}`, secret: random(48).toString('base64url') };
}

/** Writes the ring: standard tier and the AWS-managed key (no KeyId), neither with a monthly price. */
export function putTokenKeyRing(client: SSMClient, name: string, ring: TokenKeyRing, overwrite: boolean) {
  return client.send(
    new PutParameterCommand({
      Name: name,
      Value: JSON.stringify(ring),
      Type: 'SecureString',
      Tier: 'Standard',
      Overwrite: overwrite,
      Description: 'eCRM link-token keys (README "Security")',
    }),
  );
}

export function ssmTokenKeys(
  parameterName: string,
  client: SSMClient = new SSMClient(boundedClientConfig(SSM_CLIENT_LIMITS)),
  options: { now?: () => Date; random?: (bytes: number) => Buffer } = {},
): TokenKeys {
  async function read(): Promise<TokenKeyRing | undefined> {
    try {
      const answer = await client.send(new GetParameterCommand({ Name: parameterName, WithDecryption: true }));
      const value = answer.Parameter?.Value;
      if (!value) throw new Error(`token keys: parameter ${parameterName} has no value`);
      return parseTokenKeyRing(value);
    } catch (error) {
      if ((error as Error).name === 'ParameterNotFound') return undefined;
      throw error;
    }
  }
  return {
    async load() {
      const stored = await read();
      if (stored) return stored;
      const key = newTokenKey((options.now ?? (() => new Date()))(), options.random);
      try {
        await putTokenKeyRing(client, parameterName, tokenKeyRing(key.secret, key.kid), false);
      } catch (error) {
        if ((error as Error).name !== 'ParameterAlreadyExists') throw error;
      }
      const created = await read();
      if (!created) throw new Error(`token keys: parameter ${parameterName} could not be created`);
      return created;
    },
  };
}
