import { describe, expect, it } from 'vitest';
import type { AnalyticsPurchase } from '../../domain/analytics/analytics-purchase.ts';
import { ModelNotFittedError, NoScoresError, JobNotFoundError } from '../../domain/analytics/clv-fit.use-cases.ts';
import { ValidationError } from '../../domain/shared/errors.ts';
import { readCdnow } from '../support/cdnow.ts';
import { analyticsFakes } from '../support/analytics-fakes.ts';

// The fit job end to end over in-memory ports: request -> worker -> model and scores; the CDNOW
// sample through it gives the published parameters.

const cdnow: AnalyticsPurchase[] = readCdnow().map((l, i) => ({ customerId: l.customerId, interactionId: `i${i}`, day: l.date, amount: l.amount, currency: 'USD' }));
const ctx = { correlationId: 'test' };

describe('the CLV fit job', () => {
  it('fits CDNOW to 1997-09-30 in weeks with the published parameters and scores every customer', async () => {
    const { clv, state } = analyticsFakes([...cdnow, { customerId: 'eur-1', interactionId: 'x', day: '1997-05-01', amount: 5, currency: 'EUR' }], { pageSize: 700 });
    const job = await clv.requestFit({ asOf: '1997-09-30', periodUnit: 'week' }, ctx);
    expect(job).toMatchObject({ status: 'queued', asOf: '1997-09-30', periodUnit: 'week', startedAt: null, counts: null });
    expect(state.requested).toEqual([{ jobId: job.jobId, context: ctx }]);

    expect(await clv.runFit(job.jobId)).toBe('succeeded');
    const model = await clv.model();
    expect(model.bgnbd.r).toBeCloseTo(0.243, 3);
    expect(model.bgnbd.alpha).toBeCloseTo(4.414, 2);
    expect(model.bgnbd.a).toBeCloseTo(0.793, 3);
    expect(model.bgnbd.b).toBeCloseTo(2.426, 2);
    expect(model.bgnbd.logLikelihood).toBeCloseTo(-9582.4, 1);
    expect(model.gammaGamma.p).toBeCloseTo(6.25, 2);
    expect(model.gammaGamma.q).toBeCloseTo(3.74, 2);
    expect(model.gammaGamma.gamma).toBeCloseTo(15.44, 1);
    expect(model).toMatchObject({ asOf: '1997-09-30', periodUnit: 'week', currency: 'USD', customers: 2357, jobId: job.jobId });

    const done = await clv.job(job.jobId);
    expect(done).toMatchObject({ status: 'succeeded', error: null, counts: { otherCurrency: 1, customers: 2357, scoresWritten: 2357 } });
    expect(done.counts!.purchases).toBe(cdnow.filter((p) => p.day <= '1997-09-30').length);
    expect(state.scores.size).toBe(2357);
    // RFM and clusters of the same population, kept for refreshes: the mix read in batches.
    expect(state.mixReads).toEqual([1000, 1000, 357]);
    expect(state.segmentation).toMatchObject({ asOf: '1997-09-30', jobId: job.jobId, fittedAt: model.fittedAt });
    expect(state.segmentation!.clusters.clusters.reduce((sum, c) => sum + c.size, 0)).toBe(2357);
    for (const s of state.scores.values()) {
      expect(s.rfm).toMatchObject({ score: `${s.rfm.r}${s.rfm.f}${s.rfm.m}` });
      expect(s.cluster).toBeGreaterThanOrEqual(0);
      expect(s.cluster).toBeLessThan(state.segmentation!.clusters.k);
      for (const v of [s.pAlive, s.churnRisk, s.expectedPurchases.days30, s.expectedPurchases.days365, s.clv.months12]) expect(Number.isFinite(v)).toBe(true);
      expect(s.asOf).toBe('1997-09-30');
    }
    // Redelivery of the job's event: it is finished, nothing runs again.
    expect(await clv.runFit(job.jobId)).toBe('already-finished');
  }, 60_000);

  it('fails the job with the reason when there is nothing to fit, and refuses an asOf after today', async () => {
    const { clv } = analyticsFakes([{ customerId: 'c1', interactionId: 'i1', day: '2026-01-01', amount: 10, currency: 'USD' }]);
    const job = await clv.requestFit({ periodUnit: 'day' }, ctx);
    expect(job.asOf).toBe('2026-12-01');
    expect(await clv.runFit(job.jobId)).toBe('failed');
    expect(await clv.job(job.jobId)).toMatchObject({ status: 'failed', error: expect.stringContaining('repeat purchase'), counts: { purchases: 1, customers: 1 } });
    await expect(clv.model()).rejects.toBeInstanceOf(ModelNotFittedError);
    await expect(clv.requestFit({ asOf: '2026-12-02', periodUnit: 'day' }, ctx)).rejects.toBeInstanceOf(ValidationError);
    await expect(clv.job('nope')).rejects.toBeInstanceOf(JobNotFoundError);
    expect(await clv.runFit('nope')).toBe('missing');
  });

  it('keeps no model whose forecasts are not finite (a handful of customers drives r and alpha without bound) and says why', async () => {
    const days = [['2026-01-05', '2026-02-10', '2026-05-02'], ['2026-01-20'], ['2026-02-01', '2026-03-15'], ['2026-03-01', '2026-06-20'], ['2026-04-11']];
    const few = days.flatMap((list, i) => list.map((day, j) => ({ customerId: `c${i}`, interactionId: `${i}-${j}`, day, amount: 10 + j, currency: 'USD' })));
    const { clv, state } = analyticsFakes(few);
    const job = await clv.requestFit({ asOf: '2026-06-30', periodUnit: 'day' }, ctx);
    expect(await clv.runFit(job.jobId)).toBe('failed');
    expect((await clv.job(job.jobId)).error).toMatch(/no finite figures for \d+ of 5 customers/);
    expect(state.model).toBeUndefined();
    expect(state.scores.size).toBe(0);
  });

  it('refreshes one customer from the fitted model after a purchase, counted to today; says why there are no scores', async () => {
    const { clv, state } = analyticsFakes(cdnow.filter((p) => p.day <= '1997-09-30'), { now: '1997-10-15T08:00:00.000Z' });
    expect(await clv.refreshScores('cdnow-0001')).toBe('no-model');
    await expect(clv.customerScores('cdnow-0001')).rejects.toBeInstanceOf(ModelNotFittedError);
    const job = await clv.requestFit({ asOf: '1997-09-30', periodUnit: 'week' }, ctx);
    await clv.runFit(job.jobId);
    const before = await clv.customerScores('cdnow-0001');

    state.purchases.push({ customerId: 'cdnow-0001', interactionId: 'new', day: '1997-10-14', amount: 30, currency: 'USD' });
    expect(await clv.refreshScores('cdnow-0001')).toBe('refreshed');
    const after = await clv.customerScores('cdnow-0001');
    expect(after.asOf).toBe('1997-10-15');
    expect(after.frequency).toBe(before.frequency + 1);
    expect(after.pAlive).toBeGreaterThan(before.pAlive);
    expect(after.T).toBeCloseTo(before.T + 15 / 7, 4);
    // Bought after the fit's asOf: as recent as anybody in the population, and one more transaction.
    expect(after.rfm.r).toBe(5);
    expect(after.rfm.f).toBeGreaterThanOrEqual(before.rfm.f);
    expect(after.cluster).not.toBeNull();

    // A segmentation of another fit (one interrupted between its writes) is not used.
    state.segmentation = { ...state.segmentation!, jobId: 'another' };
    expect(await clv.refreshScores('cdnow-0001')).toBe('no-model');
    state.segmentation = { ...state.segmentation, jobId: job.jobId };

    expect(await clv.refreshScores('nobody')).toBe('no-purchases');
    await expect(clv.customerScores('nobody')).rejects.toBeInstanceOf(NoScoresError);
    state.gone.add('cdnow-0002');
    expect(await clv.refreshScores('cdnow-0002')).toBe('customer-gone');
  }, 60_000);
});
