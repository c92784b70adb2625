import { tokenKeysConfig } from './config.ts';
import { lazyPort } from './lazy.ts';
import type { TokenKeys } from './token-keys.ts';

/**
 * The token keys on AWS, for the functions' composition roots: the parameter's name is checked at
 * cold start (a missing or bad one fails the init), the SSM client, its adapter and the ring's
 * parse are chunks of their own (import()), loaded by the first token a container signs or checks.
 */
export function ssmTokenKeysOnFirstUse(env: NodeJS.ProcessEnv = process.env): TokenKeys {
  const { parameterName } = tokenKeysConfig(env);
  return lazyPort(async () => (await import('./ssm-token-keys.ts')).ssmTokenKeys(parameterName));
}
