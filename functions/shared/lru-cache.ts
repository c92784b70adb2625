/**
 * The one class the DynamoDB client takes from `mnemonist` (5 KB minified in every bundle): the LRU
 * cache behind endpoint discovery, which DynamoDB leaves off unless a client turns it on. A Map
 * keeps insertion order, so re-inserting on read makes its first key the least recently used.
 * Swapped in at bundle time (infra/bundling.ts); the same contract as mnemonist's LRUCache for the
 * calls @aws-sdk/endpoint-cache makes (get, set, has, peek, clear, size).
 */
export default class LRUCache<K, V> {
  private readonly entries = new Map<K, V>();
  private readonly capacity: number;
  constructor(capacity: number) {
    this.capacity = capacity;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    if (!this.entries.has(key)) return undefined;
    const value = this.entries.get(key)!;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  peek(key: K): V | undefined {
    return this.entries.get(key);
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  set(key: K, value: V): this {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as K);
    return this;
  }

  clear(): void {
    this.entries.clear();
  }
}
