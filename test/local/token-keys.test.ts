import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { TokenPayload } from '../../domain/consent/tokens.ts';
import { hmacTokens, tokenSigner } from '../../functions/shared/hmac-tokens.ts';
import { ssmTokenKeys } from '../../functions/shared/ssm-token-keys.ts';
import { ssmTokenKeysOnFirstUse } from '../../functions/shared/ssm-token-keys-on-first-use.ts';
import { localTokenKeys, parseTokenKeyRing, rotateTokenKeys, type TokenKeyRing, type TokenKeys, tokenKeyRing } from '../../functions/shared/token-keys.ts';
import { tokenKeysConfig } from '../../functions/shared/config.ts';
import { initTokenKeys, rotateStoredTokenKeys } from '../../infra/ops/token-keys-admin.ts';

// Link tokens under a key ring: tokens carry the key id, the newest key signs, older keys verify
// until they retire, and tokens signed before key ids (no kid) verify with the legacy key.

const OLD = 'old-secret-0123456789abcdefghijklmnopqrstuvwxyz';
const NEW = 'new-secret-0123456789abcdefghijklmnopqrstuvwxyz';
const LEGACY = 'legacy-secret-0123456789abcdefghijklmnopqrstuv';
const NOW = new Date('2026-12-01T12:00:00.000Z');
const nowSeconds = NOW.getTime() / 1000;
const DAY = 86_400;
const payload: TokenPayload = { purpose: 'unsubscribe', customerId: 'c-1', topic: 'news', id: 'tok-1' };

describe('hmacTokens with a key ring', () => {
  const first = tokenKeyRing(OLD, 'k1');
  const rotated = rotateTokenKeys(first, { kid: 'k2', secret: NEW }, nowSeconds + 30 * DAY);

  it('signs with the newest key and names it in the token', () => {
    expect(hmacTokens(first).sign(payload)).toMatch(/^k1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(hmacTokens(rotated).sign(payload)).toMatch(/^k2\./);
  });

  it('after a rotation, verifies tokens of the older key until it retires, then refuses them', () => {
    const before = hmacTokens(first).sign(payload);
    expect(hmacTokens(rotated).verify(before, NOW)).toEqual(payload);
    expect(hmacTokens(rotated).verify(before, new Date((nowSeconds + 30 * DAY) * 1000))).toEqual(payload);
    expect(hmacTokens(rotated).verify(before, new Date((nowSeconds + 30 * DAY + 1) * 1000))).toBe('invalid');
    // The new key's tokens are unaffected by the old one's retirement.
    expect(hmacTokens(rotated).verify(hmacTokens(rotated).sign(payload), new Date((nowSeconds + 400 * DAY) * 1000))).toEqual(payload);
  });

  it('refuses a token whose kid names another key, or no key of the ring', () => {
    const [, body, signature] = hmacTokens(rotated).sign(payload).split('.');
    expect(hmacTokens(rotated).verify(`k1.${body}.${signature}`, NOW)).toBe('invalid');
    expect(hmacTokens(rotated).verify(`k9.${body}.${signature}`, NOW)).toBe('invalid');
    // The kid is signed too: a kid-less copy of a kid token is no legacy token.
    expect(hmacTokens({ ...rotated, legacy: { secret: NEW } }).verify(`${body}.${signature}`, NOW)).toBe('invalid');
  });

  it('verifies links signed before key ids with the legacy key, and refuses them without one', () => {
    const oldLink = hmacTokens(LEGACY).sign(payload);
    expect(oldLink.split('.')).toHaveLength(2);
    const withLegacy: TokenKeyRing = { ...first, legacy: { secret: LEGACY } };
    expect(hmacTokens(withLegacy).verify(oldLink, NOW)).toEqual(payload);
    expect(hmacTokens(first).verify(oldLink, NOW)).toBe('invalid');
    // The legacy key never signs.
    expect(hmacTokens(withLegacy).sign(payload)).toMatch(/^k1\./);
    // It retires with the keys of a rotation.
    const later = rotateTokenKeys(withLegacy, { kid: 'k2', secret: NEW }, nowSeconds + DAY);
    expect(hmacTokens(later).verify(oldLink, new Date((nowSeconds + 2 * DAY) * 1000))).toBe('invalid');
  });

  it('keeps expiry as before: an expired token of a live key is expired', () => {
    const token = hmacTokens(first).sign({ ...payload, exp: nowSeconds - 1 });
    expect(hmacTokens(first).verify(token, NOW)).toBe('expired');
  });

  it('the local adapter signs under kid local and accepts kid-less tokens of the same secret', async () => {
    const ring = await localTokenKeys(OLD).load();
    expect(hmacTokens(ring).sign(payload)).toMatch(/^local\./);
    expect(hmacTokens(ring).verify(hmacTokens(OLD).sign(payload), NOW)).toEqual(payload);
  });
});

describe('tokenSigner: the keys are read by the first token, not at cold start', () => {
  const first = tokenKeyRing(OLD, 'k1');
  const rotated = rotateTokenKeys(first, { kid: 'k2', secret: NEW }, nowSeconds + 30 * DAY);
  /** A TokenKeys port that counts its reads and answers what `answers` holds, in turn. */
  function countedKeys(...answers: (TokenKeyRing | Error)[]): TokenKeys & { reads: number } {
    const keys = {
      reads: 0,
      async load() {
        const answer = answers[Math.min(keys.reads++, answers.length - 1)]!;
        if (answer instanceof Error) throw answer;
        return answer;
      },
    };
    return keys;
  }

  it('reads nothing when built, then once for every token after (concurrent first calls share the read)', async () => {
    const keys = countedKeys(rotated);
    const tokens = tokenSigner(keys);
    expect(keys.reads).toBe(0);
    const [signed, checked] = await Promise.all([tokens.sign(payload), tokens.verify(hmacTokens(first).sign(payload), NOW)]);
    expect(keys.reads).toBe(1);
    // The newest key signs; the older key's links stay valid (rotation).
    expect(signed).toMatch(/^k2\./);
    expect(checked).toEqual(payload);
    expect(await tokens.verify(await tokens.sign(payload), NOW)).toEqual(payload);
    expect(keys.reads).toBe(1);
  });

  it('does not keep a failed read: the next token reads the keys again', async () => {
    const keys = countedKeys(new Error('SSM unreachable'), first);
    const tokens = tokenSigner(keys);
    await expect(tokens.sign(payload)).rejects.toThrow('SSM unreachable');
    expect(await tokens.sign(payload)).toMatch(/^k1\./);
    expect(await tokens.verify(await tokens.sign(payload), NOW)).toEqual(payload);
    expect(keys.reads).toBe(2);
  });

  it('takes a ring or a bare secret in hand as well (tests, tools)', async () => {
    expect(await tokenSigner(first).sign(payload)).toMatch(/^k1\./);
    expect(await tokenSigner(OLD).verify(hmacTokens(OLD).sign(payload), NOW)).toEqual(payload);
  });
});

describe('parseTokenKeyRing', () => {
  it.each([
    ['not JSON', 'nope'],
    ['no keys', JSON.stringify({ keys: [] })],
    ['a short secret', JSON.stringify({ keys: [{ kid: 'k1', secret: 'short' }] })],
    ['a kid with a dot', JSON.stringify({ keys: [{ kid: 'k.1', secret: OLD }] })],
    ['an unknown field', JSON.stringify({ keys: [{ kid: 'k1', secret: OLD, extra: 1 }] })],
    ['two keys with one kid', JSON.stringify({ keys: [{ kid: 'k1', secret: OLD }, { kid: 'k1', secret: NEW }] })],
  ])('refuses %s, without the secret in the message', (_, value) => {
    expect(() => parseTokenKeyRing(value)).toThrow(/^token keys: /);
    try {
      parseTokenKeyRing(value);
    } catch (error) {
      expect(String(error)).not.toContain(OLD);
    }
  });
});

describe('the SSM adapter and the operator commands', () => {
  const ssm = mockClient(SSMClient);
  beforeEach(() => ssm.reset());
  const NAME = '/Crm/token-keys';
  const fixedRandom = (bytes: number) => Buffer.alloc(bytes, 7);

  it('reads the parameter once, decrypted, named by TOKEN_KEYS_PARAMETER', async () => {
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: JSON.stringify(tokenKeyRing(OLD, 'k1')) } });
    const { parameterName } = tokenKeysConfig({ TOKEN_KEYS_PARAMETER: NAME });
    const ring = await ssmTokenKeys(parameterName, new SSMClient({})).load();
    expect(ring.keys.map((k) => k.kid)).toEqual(['k1']);
    expect(ssm.commandCalls(GetParameterCommand).map((c) => c.args[0].input)).toEqual([{ Name: NAME, WithDecryption: true }]);
    expect(() => tokenKeysConfig({})).toThrow('TOKEN_KEYS_PARAMETER');
  });

  it('on AWS: no SSM call at cold start, one GetParameter at the first token, and a failed one retried by the next', async () => {
    ssm.on(GetParameterCommand).rejectsOnce(Object.assign(new Error('throttled'), { name: 'ThrottlingException' })).resolves({ Parameter: { Value: JSON.stringify(tokenKeyRing(OLD, 'k1')) } });
    const tokens = tokenSigner(ssmTokenKeysOnFirstUse({ TOKEN_KEYS_PARAMETER: NAME }));
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(0);
    await expect(tokens.sign(payload)).rejects.toThrow('throttled');
    const token = await tokens.sign(payload);
    expect(token).toMatch(/^k1\./);
    expect(await tokens.verify(token, NOW)).toEqual(payload);
    expect(ssm.commandCalls(GetParameterCommand).map((c) => c.args[0].input)).toEqual([
      { Name: NAME, WithDecryption: true },
      { Name: NAME, WithDecryption: true },
    ]);
    // Without a parameter name (or with a malformed one) the cold start fails, before any token.
    expect(() => ssmTokenKeysOnFirstUse({})).toThrow('TOKEN_KEYS_PARAMETER');
    expect(() => ssmTokenKeysOnFirstUse({ TOKEN_KEYS_PARAMETER: 'no-leading-slash' })).toThrow('TOKEN_KEYS_PARAMETER');
  });

  it('creates the parameter at the first cold start after the first deploy: one fresh key, never overwriting', async () => {
    const created = tokenKeyRing(NEW, 'fresh');
    ssm.on(GetParameterCommand).rejectsOnce(Object.assign(new Error('not found'), { name: 'ParameterNotFound' })).resolves({ Parameter: { Value: JSON.stringify(created) } });
    ssm.on(PutParameterCommand).resolves({});
    const ring = await ssmTokenKeys(NAME, new SSMClient({}), { now: () => NOW, random: fixedRandom }).load();
    const [put] = ssm.commandCalls(PutParameterCommand).map((c) => c.args[0].input);
    expect(put).toMatchObject({ Name: NAME, Type: 'SecureString', Tier: 'Standard', Overwrite: false });
    expect(parseTokenKeyRing(put!.Value!).keys.map((k) => k.kid)).toEqual([expect.stringMatching(/^20261201-/)]);
    // What it uses is what the parameter holds after the write, whoever wrote it.
    expect(ring).toEqual(created);
  });

  it('reads the ring another cold start created first, when both found no parameter', async () => {
    const winner = tokenKeyRing(OLD, 'winner');
    ssm.on(GetParameterCommand).rejectsOnce(Object.assign(new Error('not found'), { name: 'ParameterNotFound' })).resolves({ Parameter: { Value: JSON.stringify(winner) } });
    ssm.on(PutParameterCommand).rejects(Object.assign(new Error('exists'), { name: 'ParameterAlreadyExists' }));
    expect(await ssmTokenKeys(NAME, new SSMClient({})).load()).toEqual(winner);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
  });

  it('fails the cold start on any other SSM error rather than signing with a key nobody stored', async () => {
    ssm.on(GetParameterCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    await expect(ssmTokenKeys(NAME, new SSMClient({})).load()).rejects.toThrow('denied');
    expect(ssm.commandCalls(PutParameterCommand)).toHaveLength(0);
  });

  it('init creates a standard-tier SecureString with the AWS-managed key, and never overwrites', async () => {
    ssm.on(PutParameterCommand).resolves({});
    const { kid } = await initTokenKeys(new SSMClient({}), NAME, { now: NOW, legacySecret: LEGACY, random: fixedRandom });
    const [put] = ssm.commandCalls(PutParameterCommand).map((c) => c.args[0].input);
    expect(put).toMatchObject({ Name: NAME, Type: 'SecureString', Tier: 'Standard', Overwrite: false });
    expect(put).not.toHaveProperty('KeyId');
    const ring = parseTokenKeyRing(put!.Value!);
    expect(ring.keys.map((k) => k.kid)).toEqual([kid]);
    expect(kid).toMatch(/^20261201-/);
    expect(ring.legacy).toEqual({ secret: LEGACY });
  });

  it('rotate appends a key that signs, retires the older ones at the given day, and drops retired ones', async () => {
    const stored: TokenKeyRing = { keys: [{ kid: 'gone', secret: OLD, retireAt: nowSeconds - 1 }, { kid: 'k1', secret: NEW }], legacy: { secret: LEGACY } };
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: JSON.stringify(stored) } });
    ssm.on(PutParameterCommand).resolves({});
    const { kid, retireAt } = await rotateStoredTokenKeys(new SSMClient({}), NAME, { now: NOW, retireAfterDays: 400, random: fixedRandom });
    expect(retireAt).toBe(nowSeconds + 400 * DAY);
    const [put] = ssm.commandCalls(PutParameterCommand).map((c) => c.args[0].input);
    expect(put).toMatchObject({ Name: NAME, Type: 'SecureString', Overwrite: true });
    const ring = parseTokenKeyRing(put!.Value!);
    expect(ring.keys.map((k) => [k.kid, k.retireAt])).toEqual([
      ['k1', retireAt],
      [kid, undefined],
    ]);
    expect(ring.legacy).toEqual({ secret: LEGACY, retireAt });
    expect(hmacTokens(ring).sign(payload).startsWith(`${kid}.`)).toBe(true);
  });
});
