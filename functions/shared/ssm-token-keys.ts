import { randomBytes } from 'node:crypto';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import * as z from '#domain/shared/zod.ts';
import { boundedClientConfig, type ClientLimits } from './bounded-client.ts';
import { parseTokenKeyRing, type TokenKeyRing, type TokenKeys, tokenKeyRing } from './token-keys.ts';

// The token keys on AWS: one SecureString parameter (standard tier, AWS-managed key: no monthly
// price), read once per cold start by the functions that sign or check link tokens. Only those
// bundles import this file, so only they carry the SSM client. CloudFormation cannot create a
// SecureString (and the stack has no custom resources), so the first cold start after the first
// deploy creates it: one fresh key, written only if no parameter exists; whoever loses that race
// reads the winner's. `npm run token-keys -- init` does the same by hand (and keeps a former
// TOKEN_SECRET for links already sent).

/** A cold start waits for this one call: short attempts, as for every other dependency. */
export const SSM_CLIENT_LIMITS: ClientLimits = { connectionTimeoutMs: 1_000, requestTimeoutMs: 2_000, maxAttempts: 3 };

const TokenKeysConfig = z.onFirstUse(() => z.object({ TOKEN_KEYS_PARAMETER: z.string().check(z.regex(/^\/[\w./-]{1,1010}$/)) }));

/** The parameter's name (not its value) is what the function's environment carries. */
export function tokenKeysConfig(env: NodeJS.ProcessEnv = process.env) {
  return { parameterName: TokenKeysConfig.parse(env).TOKEN_KEYS_PARAMETER };
}

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
