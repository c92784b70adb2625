import * as z from '#domain/shared/zod.ts';
import { RfmScore } from './segmentation.schema.ts';

// The customer value models' shapes on the API: the fit request, its job, the fitted model and a
// customer's scores with their RFM score and cluster.

export const PERIOD_UNITS = ['day', 'week'] as const;

export const FitInput = z.onFirstUse(() => z
  .strictObject({
    /** The last day whose purchases count (default: today, UTC). */
    asOf: z.optional(z.iso.date()),
    periodUnit: z.enum(PERIOD_UNITS),
  })
  .register(z.globalRegistry, { id: 'ClvFitInput' }));
export type FitInput = z.output<typeof FitInput>;

export const JOB_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const FitCounts = z.onFirstUse(() => z.object({
  /** Purchases up to asOf in the models' currency. */
  purchases: z.int(),
  /** Purchases up to asOf in other currencies: left out. */
  otherCurrency: z.int(),
  customers: z.int(),
  /** Customers with a repeat transaction of positive value: the spend model's population. */
  spendModelCustomers: z.int(),
  scoresWritten: z.int(),
}));
export type FitCounts = z.output<typeof FitCounts>;

export const AnalyticsJob = z.onFirstUse(() => z
  .object({
    jobId: z.string(),
    kind: z.literal('clv-fit'),
    status: z.enum(JOB_STATUSES),
    asOf: z.iso.date(),
    periodUnit: z.enum(PERIOD_UNITS),
    requestedAt: z.iso.datetime(),
    startedAt: z.nullable(z.iso.datetime()),
    finishedAt: z.nullable(z.iso.datetime()),
    /** Why a failed job failed (no purchases to fit, ...). */
    error: z.nullable(z.string()),
    counts: z.nullable(FitCounts),
  })
  .register(z.globalRegistry, { id: 'AnalyticsJob' }));
export type AnalyticsJob = z.output<typeof AnalyticsJob>;

export const JobAccepted = z.onFirstUse(() => z.object({ jobId: z.string(), status: z.enum(JOB_STATUSES) }).register(z.globalRegistry, { id: 'AnalyticsJobAccepted' }));

export const ClvModel = z.onFirstUse(() => z
  .object({
    asOf: z.iso.date(),
    periodUnit: z.enum(PERIOD_UNITS),
    currency: z.string(),
    customers: z.int(),
    bgnbd: z.object({ r: z.number(), alpha: z.number(), a: z.number(), b: z.number(), logLikelihood: z.number() }),
    gammaGamma: z.object({ p: z.number(), q: z.number(), gamma: z.number() }),
    fittedAt: z.iso.datetime(),
    jobId: z.string(),
  })
  .register(z.globalRegistry, { id: 'ClvModel' }));
export type ClvModel = z.output<typeof ClvModel>;

export const CustomerScores = z.onFirstUse(() => z
  .object({
    customerId: z.string(),
    frequency: z.int(),
    recency: z.number(),
    T: z.number(),
    monetary: z.number(),
    pAlive: z.number(),
    expectedPurchases: z.object({ days30: z.number(), days90: z.number(), days365: z.number() }),
    clv: z.object({ months12: z.number(), discountRate: z.number() }),
    churnRisk: z.number(),
    /** RFM quintiles among the fitted population (a refresh scores against the fit's boundaries). */
    rfm: RfmScore,
    /** The k-means cluster (GET /analytics/clusters); null when the fit's population was too small to cluster (fewer than 3 customers). */
    cluster: z.nullable(z.int()),
    /** The day the figures are counted to, and the models' currency and period. */
    asOf: z.iso.date(),
    currency: z.string(),
    periodUnit: z.enum(PERIOD_UNITS),
    updatedAt: z.iso.datetime(),
  })
  .register(z.globalRegistry, { id: 'CustomerScores' }));
export type CustomerScores = z.output<typeof CustomerScores>;
