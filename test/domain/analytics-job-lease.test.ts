import { describe, expect, it } from 'vitest';
import type { AnalyticsPurchase } from '../../domain/analytics/analytics-purchase.ts';
import { jobAsRead } from '../../domain/analytics/job-lease.ts';
import { readCdnow } from '../support/cdnow.ts';
import { analyticsFakes } from '../support/analytics-fakes.ts';

// The worker's lease on a fit job (timeout 900 s, 3 deliveries in the fakes): a delivery leaves a
// job another worker holds alone, takes one whose worker is gone, takes a released one at once; a
// job nobody can take up any more reads as failed with why, never `running` for ever.

const wanted = new Set([...new Set(readCdnow().map((l) => l.customerId))].slice(0, 200));
const sample: AnalyticsPurchase[] = readCdnow()
  .filter((l) => wanted.has(l.customerId))
  .map((l, i) => ({ customerId: l.customerId, interactionId: `i${i}`, day: l.date, amount: l.amount, currency: 'USD' }));
const ctx = { correlationId: 'test' };
const at = (iso: string) => new Date(iso);

async function takenJob() {
  const fakes = analyticsFakes(sample, { now: '2026-12-01T10:00:00.000Z' });
  const job = await fakes.clv.requestFit({ asOf: '1997-09-30', periodUnit: 'week' }, ctx);
  // A worker took it at 10:00 and is gone (or still busy): the job item says running.
  fakes.state.jobs.set(job.jobId, { ...job, status: 'running', startedAt: '2026-12-01T10:00:00.000Z' });
  return { ...fakes, jobId: job.jobId };
}

describe('the fit job lease', () => {
  it('leaves a job alone while its worker may live (less than one timeout), takes it once the timeout has passed', async () => {
    const { clv, state, jobId } = await takenJob();
    state.now = at('2026-12-01T10:14:59.000Z');
    expect(await clv.runFit(jobId)).toBe('running-elsewhere');
    expect(state.jobs.get(jobId)).toMatchObject({ status: 'running', startedAt: '2026-12-01T10:00:00.000Z' });
    expect(state.model).toBeUndefined();
    state.now = at('2026-12-01T10:15:00.000Z');
    expect(await clv.runFit(jobId)).toBe('succeeded');
    expect(state.jobs.get(jobId)).toMatchObject({ status: 'succeeded', startedAt: '2026-12-01T10:15:00.000Z', error: null });
  }, 30_000);

  it('lets one of two simultaneous deliveries take a queued job', async () => {
    const { clv, state } = analyticsFakes(sample);
    const job = await clv.requestFit({ asOf: '1997-09-30', periodUnit: 'week' }, ctx);
    expect((await Promise.all([clv.runFit(job.jobId), clv.runFit(job.jobId)])).sort()).toEqual(['running-elsewhere', 'succeeded']);
    expect(state.jobs.get(job.jobId)!.status).toBe('succeeded');
  }, 30_000);

  it('a failed attempt releases the job with its error: the retry takes it at once and clears the error', async () => {
    const { clv, state, jobId } = await takenJob();
    expect(await clv.releaseFit(jobId, 'Error: throttled')).toBe('released');
    expect(state.jobs.get(jobId)).toMatchObject({ status: 'queued', startedAt: '2026-12-01T10:00:00.000Z', error: 'Error: throttled' });
    expect(await clv.releaseFit(jobId, 'again')).toBe('not-running');
    state.now = at('2026-12-01T10:01:00.000Z');
    expect(await clv.runFit(jobId)).toBe('succeeded');
    expect(await clv.job(jobId)).toMatchObject({ status: 'succeeded', error: null });
  }, 30_000);

  it('reads as failed once every delivery could have come (timeout x attempts since it was last taken), and stays failed', async () => {
    const { clv, state, jobId } = await takenJob();
    state.now = at('2026-12-01T10:44:59.000Z');
    expect(await clv.job(jobId)).toMatchObject({ status: 'running' });
    state.now = at('2026-12-01T10:45:00.000Z');
    const failed = await clv.job(jobId);
    expect(failed).toMatchObject({ status: 'failed', finishedAt: '2026-12-01T10:45:00.000Z', error: expect.stringContaining('stopped without finishing') });
    // A very late delivery does not revive it; the item keeps the failure it reads as.
    expect(await clv.runFit(jobId)).toBe('already-finished');
    expect(state.jobs.get(jobId)).toEqual(failed);
    expect(state.model).toBeUndefined();
  });

  it('names the last attempt\'s error in the failure; a job never taken (its event on the way) does not expire', () => {
    const lease = { timeoutSeconds: 900, attempts: 3 };
    const base = { jobId: 'j', kind: 'clv-fit', asOf: '2026-01-01', periodUnit: 'day', requestedAt: '2026-12-01T09:00:00.000Z', finishedAt: null, counts: null } as const;
    const released = { ...base, status: 'queued', startedAt: '2026-12-01T10:00:00.000Z', error: 'Error: throttled' } as const;
    expect(jobAsRead(released, at('2026-12-01T11:00:00.000Z'), lease)).toMatchObject({ status: 'failed', error: expect.stringContaining('The last attempt: Error: throttled') });
    const waiting = { ...base, status: 'queued', startedAt: null, error: null } as const;
    expect(jobAsRead(waiting, at('2026-12-31T00:00:00.000Z'), lease)).toBe(waiting);
    const done = { ...base, status: 'succeeded', startedAt: '2026-12-01T10:00:00.000Z', error: null } as const;
    expect(jobAsRead(done, at('2026-12-31T00:00:00.000Z'), lease)).toBe(done);
  });
});
