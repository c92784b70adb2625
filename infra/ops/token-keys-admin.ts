import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { newTokenKey, putTokenKeyRing } from '#functions/shared/ssm-token-keys.ts';
import { parseTokenKeyRing, rotateTokenKeys, type TokenKeyRing, tokenKeyRing } from '#functions/shared/token-keys.ts';

// The operator's side of the token keys (scripts/token-keys.ts): create the SSM parameter once,
// rotate later. The values go straight from this process to SSM: never printed, never in a template.

/**
 * Creates the parameter (refuses to replace one: ParameterAlreadyExists). `legacySecret`: the
 * TokenSecret the stack was deployed with before key ids, so links already sent keep working.
 */
export async function initTokenKeys(client: SSMClient, name: string, options: { now: Date; legacySecret?: string; random?: (bytes: number) => Buffer }) {
  const key = newTokenKey(options.now, options.random);
  const ring = options.legacySecret ? parseTokenKeyRing(JSON.stringify({ ...tokenKeyRing(key.secret, key.kid), legacy: { secret: options.legacySecret } })) : tokenKeyRing(key.secret, key.kid);
  await putTokenKeyRing(client, name, ring, false);
  return { kid: key.kid };
}

/**
 * A new key signs from now on; the older ones verify until `retireAfterDays` from now (at least
 * the longest lifetime of a link they signed). Functions pick the new ring up at their next cold
 * start; until then they sign with the old key, which stays valid.
 */
export async function rotateStoredTokenKeys(client: SSMClient, name: string, options: { now: Date; retireAfterDays: number; random?: (bytes: number) => Buffer }) {
  const answer = await client.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
  const ring = parseTokenKeyRing(answer.Parameter?.Value ?? '');
  const key = newTokenKey(options.now, options.random);
  const retireAt = Math.floor(options.now.getTime() / 1000) + options.retireAfterDays * 86_400;
  // Keys already past their retirement are dropped: they verify nothing any more.
  const nowSeconds = Math.floor(options.now.getTime() / 1000);
  const live = { keys: ring.keys.filter((k) => k.retireAt === undefined || k.retireAt > nowSeconds), ...(ring.legacy && (ring.legacy.retireAt === undefined || ring.legacy.retireAt > nowSeconds) ? { legacy: ring.legacy } : {}) };
  const next = live.keys.length > 0 ? rotateTokenKeys(live as TokenKeyRing, key, retireAt) : tokenKeyRing(key.secret, key.kid);
  await putTokenKeyRing(client, name, next, true);
  return { kid: key.kid, retireAt };
}
