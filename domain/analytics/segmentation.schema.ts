import * as z from '#domain/shared/zod.ts';
import { Channel, CHANNELS } from '../customers/interaction.schema.ts';
import { RFM_LABELS } from './rfm.ts';

// RFM and clusters on the API and in storage: a customer's RFM score, the clusters of the last fit
// (GET /analytics/clusters), and what the fit keeps so that one customer's refresh scores them as
// the population was scored (the RFM boundaries, the clusters' scale and centroids).

export const RfmScore = z.onFirstUse(() => z
  .object({
    /** Recency, frequency and monetary quintiles, 1 (worst fifth) to 5 (best fifth). */
    r: z.int(),
    f: z.int(),
    m: z.int(),
    /** The three digits, e.g. "545". */
    score: z.string(),
    label: z.enum(RFM_LABELS),
  })
  .register(z.globalRegistry, { id: 'RfmScore' }));

/** The clustering features, in the order of the stored vectors: recency, frequency and monetary, then each channel's share of the customer's interactions. */
export const CLUSTER_FEATURES = ['recencyDays', 'transactions', 'monetary', ...CHANNELS.map((c) => `mix.${c}` as const)] as const;

/** Stored per fit in ANALYTICS/CLUSTERS (and its RFM part in ANALYTICS/RFM): plain arrays, in CLUSTER_FEATURES order. */
export interface Segmentation {
  readonly asOf: string;
  readonly jobId: string;
  readonly fittedAt: string;
  readonly rfm: { readonly recencyDays: readonly number[]; readonly transactions: readonly number[]; readonly totalSpend: readonly number[] };
  readonly clusters: {
    /** 0 when the population was too small to cluster (fewer than 3 customers). */
    readonly k: number;
    readonly silhouette: number | null;
    readonly means: readonly number[];
    readonly deviations: readonly number[];
    readonly clusters: readonly { readonly id: number; readonly size: number; readonly centroid: readonly number[] }[];
  };
}

/** Every channel's share of the interactions. */
const Mix = z.onFirstUse(() => z.record(Channel, z.number()));

export const CustomerClusters = z.onFirstUse(() => z
  .object({
    /** The day recency is counted to (the fit's asOf). */
    asOf: z.iso.date(),
    /** The clusters: 2 to 8, chosen by silhouette (1 when every customer has the same features); 0 when the fit's population was too small to cluster (fewer than 3 customers). */
    k: z.int(),
    /** Mean silhouette of the chosen k (over a sample of at most 2,000 customers); null without clusters. */
    silhouette: z.nullable(z.number()),
    /** The features in clustering order, with the mean and standard deviation that standardised them. */
    features: z.array(z.object({ name: z.enum(CLUSTER_FEATURES), mean: z.number(), deviation: z.number() })),
    clusters: z.array(
      z.object({
        id: z.int(),
        size: z.int(),
        /** The members' mean of each feature, in original units: days, distinct purchase days, total spend, share per channel. */
        centroid: z.object({ recencyDays: z.number(), transactions: z.number(), monetary: z.number(), mix: Mix }),
      }),
    ),
    jobId: z.string(),
    fittedAt: z.iso.datetime(),
  })
  .register(z.globalRegistry, { id: 'CustomerClusters' }));
export type CustomerClusters = z.output<typeof CustomerClusters>;
