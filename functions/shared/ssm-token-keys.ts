import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import * as z from '#domain/shared/zod.ts';
import { boundedClientConfig, type ClientLimits } from './bounded-client.ts';
import { parseTokenKeyRing, type TokenKeys } from './token-keys.ts';

// The token keys on AWS: one SecureString parameter (standard tier, AWS-managed key: no monthly
// price), read once per cold start by the functions that sign or check link tokens. Only those
// bundles import this file, so only they carry the SSM client.

/** A cold start waits for this one call: short attempts, as for every other dependency. */
export const SSM_CLIENT_LIMITS: ClientLimits = { connectionTimeoutMs: 1_000, requestTimeoutMs: 2_000, maxAttempts: 3 };

const TokenKeysConfig = z.object({ TOKEN_KEYS_PARAMETER: z.string().check(z.regex(/^\/[\w./-]{1,1010}$/)) });

/** The parameter's name (not its value) is what the function's environment carries. */
export function tokenKeysConfig(env: NodeJS.ProcessEnv = process.env) {
  return { parameterName: TokenKeysConfig.parse(env).TOKEN_KEYS_PARAMETER };
}

export function ssmTokenKeys(parameterName: string, client: SSMClient = new SSMClient(boundedClientConfig(SSM_CLIENT_LIMITS))): TokenKeys {
  return {
    async load() {
      const answer = await client.send(new GetParameterCommand({ Name: parameterName, WithDecryption: true }));
      const value = answer.Parameter?.Value;
      if (!value) throw new Error(`token keys: parameter ${parameterName} has no value`);
      return parseTokenKeyRing(value);
    },
  };
}
