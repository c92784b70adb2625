import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { miniSearchEngine } from '../../functions/knowledge/minisearch-engine.ts';
import { storedSearchIndexes } from '../../functions/knowledge/stored-search-indexes.ts';
import { fakeClock } from '../support/fakes.ts';
import { fakeIndexStore, revision } from '../support/help-fakes.ts';

// The knowledge function's view of the stored indexes: lazy, checked at most every 2 s, and
// resilient (a broken locale or an unreachable table does not take search down once loaded).

let warn: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => warn.mockRestore());

async function storeWith(...locales: string[]) {
  const store = fakeIndexStore();
  for (const locale of locales) {
    const index = miniSearchEngine.of(locale, [revision({ title: `Printer setup ${locale}`, locale })]);
    await store.save(locale, await index.serialise(), index.size, undefined);
  }
  return store;
}

describe('storedSearchIndexes', () => {
  it('loads on the first search, reads nothing more within the check interval, and picks up a new generation after it', async () => {
    const store = await storeWith('en');
    const heads = vi.spyOn(store, 'heads');
    const clock = fakeClock();
    const indexes = storedSearchIndexes(store, miniSearchEngine, clock, 2_000);
    expect(heads).not.toHaveBeenCalled();
    expect((await indexes.current()).get('en')!.size).toBe(1);
    const next = miniSearchEngine.of('en', [revision({ title: 'Printer setup' }), revision({ title: 'Printer drivers' })]);
    await store.save('en', await next.serialise(), 2, await store.head('en'));
    clock.advance(1_999);
    expect((await indexes.current()).get('en')!.size).toBe(1);
    expect(heads).toHaveBeenCalledTimes(1);
    clock.advance(1);
    expect((await indexes.current()).get('en')!.size).toBe(2);
    expect(heads).toHaveBeenCalledTimes(2);
  });

  it('skips a locale whose index cannot be loaded, and serves the others', async () => {
    const store = await storeWith('en', 'de');
    store.blobs.set(store.heads_.get('de')!.chunkSet, '{"not":"an index"}');
    const loaded = await storedSearchIndexes(store, miniSearchEngine, fakeClock()).current();
    expect([...loaded.keys()]).toEqual(['en']);
    expect(warn).toHaveBeenCalledOnce();
  });

  it('serves the loaded indexes while the table is unreachable; before the first load, the failure is the answer', async () => {
    const store = await storeWith('en');
    const clock = fakeClock();
    const indexes = storedSearchIndexes(store, miniSearchEngine, clock, 2_000);
    await indexes.current();
    vi.spyOn(store, 'heads').mockRejectedValue(Object.assign(new Error('down'), { name: 'TimeoutError' }));
    clock.advance(5_000);
    expect((await indexes.current()).get('en')!.size).toBe(1);
    const cold = storedSearchIndexes(store, miniSearchEngine, clock, 2_000);
    await expect(cold.current()).rejects.toThrow('down');
  });
});
