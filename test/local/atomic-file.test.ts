import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../infra/local/atomic-file.ts';

// The stream checkpoint, the clock offset and the bus journal are written with writeFileAtomic:
// a reader (or a restart after a crash) sees the old content or the new, never a torn file.

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Reads `file` in a tight loop on another thread and counts reads that were not whole JSON. */
const READER = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
let torn = 0, reads = 0, stop = false;
parentPort.on('message', () => { stop = true; });
(function loop() {
  for (let i = 0; i < 200; i++) {
    reads++;
    try { JSON.parse(readFileSync(workerData, 'utf8')); } catch { torn++; }
  }
  if (stop) parentPort.postMessage({ torn, reads }); else setImmediate(loop);
})();
`;

async function tornReads(write: (file: string, data: string) => void, writes = 100): Promise<{ torn: number; reads: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
  dirs.push(dir);
  const file = join(dir, 'checkpoint.json');
  const big = (n: number) => JSON.stringify({ shard: 'x'.repeat(128 * 1024), n });
  write(file, big(0));
  const worker = new Worker(READER, { eval: true, workerData: file });
  await new Promise((r) => setTimeout(r, 50));
  for (let n = 1; n <= writes; n++) write(file, big(n));
  worker.postMessage('stop');
  const result = await new Promise<{ torn: number; reads: number }>((resolve) => worker.once('message', resolve));
  await worker.terminate();
  return result;
}

describe('writeFileAtomic', () => {
  it('never lets a concurrent reader see a partly written file', async () => {
    const { torn, reads } = await tornReads(writeFileAtomic);
    expect(reads).toBeGreaterThan(0);
    expect(torn).toBe(0);
  });

  it('replaces the content and leaves no temporary file behind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    dirs.push(dir);
    const file = join(dir, 'state.json');
    writeFileAtomic(file, '{"a":1}');
    writeFileAtomic(file, '{"a":2}');
    expect(readFileSync(file, 'utf8')).toBe('{"a":2}');
    expect(readdirSync(dir)).toEqual(['state.json']);
  });
});
