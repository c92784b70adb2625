import { lazyPort } from './lazy.ts';
import type { TokenKeys } from './token-keys.ts';

/**
 * The token keys on AWS, for the functions' composition roots: the SSM client, its adapter and the
 * parse of TOKEN_KEYS_PARAMETER (zod, which the cold path must not reach: table-config.ts) are
 * chunks of their own (import()), loaded by the first token a container signs or checks. A missing
 * or bad parameter name fails that token (and the next tries again); the stack refuses at synth a
 * token function without one (infra/cdk/crm-function.construct.ts).
 */
export function ssmTokenKeysOnFirstUse(env: NodeJS.ProcessEnv = process.env): TokenKeys {
  return lazyPort(async () => {
    const [{ ssmTokenKeys }, { tokenKeysConfig }] = await Promise.all([import('./ssm-token-keys.ts'), import('./token-keys.ts')]);
    return ssmTokenKeys(tokenKeysConfig(env).parameterName);
  });
}
