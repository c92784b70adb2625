import { describe, expect, it } from 'vitest';
import LRUCache from '../../functions/shared/lru-cache.ts';

// The Map-based LRU cache the Lambda bundles use in place of mnemonist's (infra/bundling.ts): it
// must answer the calls @aws-sdk/endpoint-cache makes exactly as mnemonist does.

type Op = ['set', string, number] | ['get', string] | ['peek', string] | ['has', string] | ['clear'];

interface Cache {
  set(k: string, v: number): unknown;
  get(k: string): unknown;
  peek(k: string): unknown;
  has(k: string): boolean;
  clear(): void;
  readonly size: number;
}

// mnemonist is CommonJS; its default export is the class.
const { default: MnemonistLRU } = (await import('mnemonist/lru-cache.js')) as unknown as { default: new (capacity: number) => Cache };

function run(cache: Cache, ops: Op[]) {
  return ops.map((op) => {
    switch (op[0]) {
      case 'set':
        cache.set(op[1], op[2]);
        return cache.size;
      case 'get':
        return cache.get(op[1]);
      case 'peek':
        return cache.peek(op[1]);
      case 'has':
        return cache.has(op[1]);
      case 'clear':
        cache.clear();
        return cache.size;
    }
  });
}

describe('LRU cache (in place of mnemonist in the bundles)', () => {
  it('evicts the least recently used key; get refreshes a key, peek does not', () => {
    const ops: Op[] = [
      ['set', 'a', 1], ['set', 'b', 2], ['get', 'a'], ['set', 'c', 3], ['has', 'b'], ['has', 'a'],
      ['peek', 'a'], ['set', 'd', 4], ['has', 'a'], ['get', 'c'], ['set', 'c', 30], ['get', 'c'], ['get', 'zz'], ['clear'], ['has', 'c'],
    ];
    const ours = run(new LRUCache<string, number>(2), ops);
    expect(ours).toEqual([1, 2, 1, 2, false, true, 1, 2, false, 3, 2, 30, undefined, 0, false]);
    expect(ours).toEqual(run(new MnemonistLRU(2), ops));
  });
});
