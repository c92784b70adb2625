import type { Clock, CommandContext, IdGenerator } from '../shared/ports.ts';
import { NotFoundError, ValidationError } from '../shared/errors.ts';
import type { AnalyticsPurchase } from './analytics-purchase.ts';
import { fitBgNbd } from './bg-nbd.ts';
import type { AnalyticsJob, ClvModel, CustomerScores, FitCounts, FitInput } from './clv-model.schema.ts';
import { customerValue, type FittedModels } from './customer-value.ts';
import { type CustomerSegment, type InteractionMixSource, readMix, segmentOne, segmentPopulation, type SegmentationStore } from './customer-segments.ts';
import { fitGammaGamma, fitsSpendModel } from './gamma-gamma.ts';
import { isLeased, jobAsRead, type WorkerLease } from './job-lease.ts';
import { type PeriodUnit, type PurchaseSummary, summarisePurchases } from './purchase-history.ts';

// The customer value fit as an asynchronous job. flow: 1. the request writes the job (queued) and
// its AnalyticsJobRequested event together; 2. the worker marks it running, reads every purchase
// up to asOf, fits BG/NBD and Gamma-Gamma, writes the model and every customer's scores, and marks
// it succeeded (or failed, with why, when the data cannot be fitted). A purchase between fits
// refreshes its customer's scores from the model as it stands.

/** Port: the analytics purchases. */
export interface PurchaseSource {
  /** Every purchase dated on or before `asOf`, page by page. */
  upTo(asOf: string): AsyncIterable<readonly AnalyticsPurchase[]>;
  ofCustomer(customerId: string): Promise<readonly AnalyticsPurchase[]>;
}

/** Port: the current model. */
export interface ModelStore {
  current(): Promise<ClvModel | undefined>;
  save(model: ClvModel): Promise<void>;
}

/** Port: customers' scores. */
export interface ScoreStore {
  get(customerId: string): Promise<CustomerScores | undefined>;
  /** Writes each; skips (and does not count) customers that may no longer be written (erased, being erased, merged away). */
  saveAll(scores: readonly CustomerScores[]): Promise<number>;
}

/** Port: fit jobs. */
export interface JobStore {
  /** Writes the queued job and its AnalyticsJobRequested event in one transaction. */
  create(job: AnalyticsJob, context: CommandContext): Promise<void>;
  get(jobId: string): Promise<AnalyticsJob | undefined>;
  save(job: AnalyticsJob): Promise<void>;
  /** Writes `next` only if the job still has `previous`'s status and startedAt (false: another delivery changed it first). */
  replace(previous: AnalyticsJob, next: AnalyticsJob): Promise<boolean>;
}

export class JobNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(`No analytics job with id ${id}.`);
  }
}

export class ModelNotFittedError extends NotFoundError {
  override readonly code = 'model-not-fitted';
  constructor() {
    super('No customer value model has been fitted yet: POST /analytics/models/clv/fit.');
  }
}

export class NoScoresError extends NotFoundError {
  constructor(customerId: string) {
    super(`Customer ${customerId} has no scores: no purchase in the models' currency up to the last fit or since.`);
  }
}

/** Thrown by the worker's fit when the data cannot be fitted: the job fails with this message, it is not retried. */
export class UnfittableDataError extends Error {}

export interface ClvDeps {
  readonly purchases: PurchaseSource;
  readonly models: ModelStore;
  readonly scores: ScoreStore;
  readonly jobs: JobStore;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** The models' currency (ANALYTICS_CURRENCY); purchases in others are left out. */
  readonly currency: string;
  /** The worker function's timeout and deliveries (job-lease.ts). */
  readonly lease: WorkerLease;
  /** Interactions per channel of the customers: the clusters' interaction mix. */
  readonly mix: InteractionMixSource;
  /** RFM boundaries and clusters of the last fit. */
  readonly segmentation: SegmentationStore;
}

/** Scores written per call to the store: the worker's memory holds one chunk of items at a time. */
export const SCORE_CHUNK = 500;

const today = (clock: Clock) => clock.now().toISOString().slice(0, 10);

function scoresOf(models: FittedModels, summary: PurchaseSummary, segment: CustomerSegment, meta: { asOf: string; currency: string; updatedAt: string }): CustomerScores {
  return { customerId: summary.customerId, ...customerValue(models, summary), ...segment, asOf: meta.asOf, currency: meta.currency, periodUnit: models.periodUnit, updatedAt: meta.updatedAt };
}

function isFiniteScores(s: CustomerScores): boolean {
  return [s.recency, s.T, s.monetary, s.pAlive, s.churnRisk, s.expectedPurchases.days30, s.expectedPurchases.days90, s.expectedPurchases.days365, s.clv.months12].every(Number.isFinite);
}

const fittedOf = (model: ClvModel): FittedModels => ({ periodUnit: model.periodUnit, bgnbd: model.bgnbd, gammaGamma: model.gammaGamma });

export function clvUseCases(deps: ClvDeps) {
  const { purchases, models, scores, jobs, clock, ids, currency, lease, mix, segmentation } = deps;

  /** Fits the models on the summaries; UnfittableDataError when there is nothing to fit. */
  function fit(summaries: readonly PurchaseSummary[]) {
    if (summaries.length === 0) throw new UnfittableDataError(`No purchase in ${currency} up to asOf: nothing to fit.`);
    const bgnbd = fitBgNbd(summaries);
    const spend = summaries.filter(fitsSpendModel);
    if (spend.length === 0) throw new UnfittableDataError('No customer has a repeat purchase of positive value: the spend model cannot be fitted.');
    const gammaGamma = fitGammaGamma(spend);
    if (![...Object.values(bgnbd.parameters), bgnbd.logLikelihood, ...Object.values(gammaGamma.parameters)].every(Number.isFinite)) {
      throw new UnfittableDataError('The fit did not reach finite parameters.');
    }
    return { bgnbd, gammaGamma, spendCustomers: spend.length };
  }

  return {
    async requestFit(input: FitInput, context: CommandContext): Promise<AnalyticsJob> {
      const now = clock.now().toISOString();
      const asOf = input.asOf ?? today(clock);
      if (asOf > today(clock)) throw new ValidationError('asOf must not be after today.', [{ path: 'body.asOf', message: 'must not be after today' }]);
      const job: AnalyticsJob = { jobId: ids.next(), kind: 'clv-fit', status: 'queued', asOf, periodUnit: input.periodUnit, requestedAt: now, startedAt: null, finishedAt: null, error: null, counts: null };
      await jobs.create(job, context);
      return job;
    },

    async job(jobId: string): Promise<AnalyticsJob> {
      const job = await jobs.get(jobId);
      if (!job) throw new JobNotFoundError(jobId);
      return jobAsRead(job, clock.now(), lease);
    },

    async model(): Promise<ClvModel> {
      const model = await models.current();
      if (!model) throw new ModelNotFittedError();
      return model;
    },

    async customerScores(customerId: string): Promise<CustomerScores> {
      const found = await scores.get(customerId);
      if (found) return found;
      if (!(await models.current())) throw new ModelNotFittedError();
      throw new NoScoresError(customerId);
    },

    /**
     * The worker: takes a queued job, or one whose last worker is gone (job-lease.ts), and runs it;
     * a job another delivery holds, or that finished, is left alone. Errors other than unfittable
     * data propagate, so the event is delivered again (after releaseFit).
     */
    async runFit(jobId: string): Promise<'succeeded' | 'failed' | 'already-finished' | 'running-elsewhere' | 'missing'> {
      const job = await jobs.get(jobId);
      if (!job) return 'missing';
      const seen = jobAsRead(job, clock.now(), lease);
      if (seen.status === 'succeeded' || seen.status === 'failed') {
        // Past every attempt's deadline: kept as the failure it reads as (a late delivery does not revive it).
        if (seen !== job) await jobs.replace(job, seen);
        return 'already-finished';
      }
      if (isLeased(job, clock.now(), lease)) return 'running-elsewhere';
      const running: AnalyticsJob = { ...job, status: 'running', startedAt: clock.now().toISOString(), error: null };
      if (!(await jobs.replace(job, running))) return 'running-elsewhere';
      const kept: AnalyticsPurchase[] = [];
      let otherCurrency = 0;
      for await (const page of purchases.upTo(job.asOf)) {
        for (const p of page) {
          if (p.currency === currency) kept.push(p);
          else otherCurrency++;
        }
      }
      const summaries = summarisePurchases(
        kept.map((p) => ({ customerId: p.customerId, date: p.day, amount: p.amount })),
        job.asOf,
        job.periodUnit,
      );
      let fitted: ReturnType<typeof fit>;
      try {
        fitted = fit(summaries);
      } catch (error) {
        if (!(error instanceof UnfittableDataError)) throw error;
        await jobs.save({ ...running, status: 'failed', finishedAt: clock.now().toISOString(), error: error.message, counts: { purchases: kept.length, otherCurrency, customers: summaries.length, spendModelCustomers: 0, scoresWritten: 0 } });
        return 'failed';
      }
      const fittedAt = clock.now().toISOString();
      const model: ClvModel = {
        asOf: job.asOf,
        periodUnit: job.periodUnit,
        currency,
        customers: summaries.length,
        bgnbd: { ...fitted.bgnbd.parameters, logLikelihood: fitted.bgnbd.logLikelihood },
        gammaGamma: fitted.gammaGamma.parameters,
        fittedAt,
        jobId,
      };
      // RFM and clusters of the same population (issue 13 part 2): kept for refreshes between fits.
      const segments = segmentPopulation(summaries, await readMix(mix, summaries.map((s) => s.customerId)), { asOf: job.asOf, jobId, fittedAt });
      const all = summaries.map((s) => scoresOf(fittedOf(model), s, segments.segmentOf(s.customerId), { asOf: job.asOf, currency, updatedAt: fittedAt }));
      // Few or odd purchases can drive the likelihood to a boundary (r and alpha without bound: the
      // Poisson limit) where the forecasts overflow; such a model is not kept, the job says why.
      const broken = all.filter((s) => !isFiniteScores(s)).length;
      if (broken > 0) {
        const error = `The fitted model gives no finite figures for ${broken} of ${all.length} customers (parameters at a boundary: too few purchases for a stable fit).`;
        await jobs.save({ ...running, status: 'failed', finishedAt: clock.now().toISOString(), error, counts: { purchases: kept.length, otherCurrency, customers: summaries.length, spendModelCustomers: fitted.spendCustomers, scoresWritten: 0 } });
        return 'failed';
      }
      // Before the model: a model is never current without its own segmentation (refreshScores checks the job).
      await segmentation.save(segments.segmentation);
      await models.save(model);
      let written = 0;
      for (let start = 0; start < all.length; start += SCORE_CHUNK) written += await scores.saveAll(all.slice(start, start + SCORE_CHUNK));
      const counts: FitCounts = { purchases: kept.length, otherCurrency, customers: summaries.length, spendModelCustomers: fitted.spendCustomers, scoresWritten: written };
      await jobs.save({ ...running, status: 'succeeded', finishedAt: clock.now().toISOString(), counts });
      return 'succeeded';
    },

    /**
     * After an attempt failed with an error (the worker's handler, before the event is delivered
     * again): the job is queued again with the error, so that the retry takes it at once instead
     * of waiting out the lease. Its startedAt stays: the deadline counts from the last take.
     */
    async releaseFit(jobId: string, error: string): Promise<'released' | 'not-running'> {
      const job = await jobs.get(jobId);
      if (!job || job.status !== 'running') return 'not-running';
      return (await jobs.replace(job, { ...job, status: 'queued', error })) ? 'released' : 'not-running';
    },

    /**
     * After a purchase: the customer's scores from the current model, counted to today (or to the
     * model's asOf, whichever is later). No model yet: nothing to do.
     */
    async refreshScores(customerId: string): Promise<'refreshed' | 'no-model' | 'no-purchases' | 'customer-gone' | 'not-finite'> {
      const [model, segmented] = await Promise.all([models.current(), segmentation.current()]);
      // A segmentation of another fit than the model's (a fit interrupted between the two writes) is not used: its job runs again.
      if (!model || segmented?.jobId !== model.jobId) return 'no-model';
      const asOf = [model.asOf, today(clock)].sort()[1]!;
      const own = (await purchases.ofCustomer(customerId)).filter((p) => p.currency === currency);
      const [summary] = summarisePurchases(
        own.map((p) => ({ customerId, date: p.day, amount: p.amount })),
        asOf,
        model.periodUnit,
      );
      if (!summary) return 'no-purchases';
      const counts = (await mix.channelCounts([customerId])).get(customerId);
      const fresh = scoresOf(fittedOf(model), summary, segmentOne(segmented, summary, counts), { asOf, currency, updatedAt: clock.now().toISOString() });
      if (!isFiniteScores(fresh)) return 'not-finite';
      const written = await scores.saveAll([fresh]);
      return written === 1 ? 'refreshed' : 'customer-gone';
    },
  };
}

export type ClvUseCases = ReturnType<typeof clvUseCases>;
export type { PeriodUnit };
