import { CHANNELS, type Channel } from '../customers/interaction.schema.ts';
import { type Clustering, clusterCustomers, nearestCluster, standardisationOf } from './clusters.ts';
import { dayNumber, type PurchaseSummary } from './purchase-history.ts';
import { type RfmInput, type RfmScore, rfmBoundaries, rfmFromBoundaries, rfmScores } from './rfm.ts';
import { CLUSTER_FEATURES, type CustomerClusters, type Segmentation } from './segmentation.schema.ts';

// RFM and clusters over the fitted population, and for one customer between fits from what the
// fit kept. Recency is counted in days from the last purchase to the fit's asOf, also when a
// customer is refreshed later (then it may be negative: bought after the fit): the population is
// ranked by the date of each one's last purchase, and so is the newcomer, so the boundaries and
// the centroids stay comparable until the next fit.

export type ChannelCounts = Partial<Record<Channel, number>>;

/** Port: each customer's interactions per channel, as the profile's stats count them. */
export interface InteractionMixSource {
  /** The customers asked for that have a profile (not erased, not merged away); the others are left out: their mix is all zeros. */
  channelCounts(customerIds: readonly string[]): Promise<ReadonlyMap<string, ChannelCounts>>;
}

/** Port: the segmentation of the last fit. */
export interface SegmentationStore {
  current(): Promise<Segmentation | undefined>;
  save(segmentation: Segmentation): Promise<void>;
}

/** What a customer's scores gain: RFM, and the cluster (null when the fit's population was too small to cluster). */
export interface CustomerSegment {
  readonly rfm: RfmScore;
  readonly cluster: number | null;
}

/** Profiles read per call to the mix source while fitting. */
export const MIX_BATCH = 1000;

/** Amounts carry at most 4 decimals: total spend is rounded to them, so that the same purchases summed in another order score the same. */
const spendOf = (summary: PurchaseSummary) => Math.round(summary.totalSpend * 1e4) / 1e4;

/** Each channel's share of the interactions (all zeros without any). */
export function mixOf(counts: ChannelCounts | undefined): number[] {
  const total = CHANNELS.reduce((sum, c) => sum + (counts?.[c] ?? 0), 0);
  return CHANNELS.map((c) => (total > 0 ? (counts?.[c] ?? 0) / total : 0));
}

function rfmInputOf(summary: PurchaseSummary, asOf: string): RfmInput {
  return { customerId: summary.customerId, daysSinceLastPurchase: dayNumber(asOf) - dayNumber(summary.lastPurchase), transactions: summary.transactions, totalSpend: spendOf(summary) };
}

/** The feature vector in CLUSTER_FEATURES order. */
function featuresOf(input: RfmInput, counts: ChannelCounts | undefined): number[] {
  return [input.daysSinceLastPurchase, input.transactions, input.totalSpend, ...mixOf(counts)];
}

/**
 * RFM quintiles and k-means clusters of the fitted population (pure): each customer's segment, and
 * what the fit stores for refreshes between fits and for GET /analytics/clusters.
 */
export function segmentPopulation(
  summaries: readonly PurchaseSummary[],
  mix: ReadonlyMap<string, ChannelCounts>,
  meta: { asOf: string; jobId: string; fittedAt: string },
): { segmentOf(customerId: string): CustomerSegment; segmentation: Segmentation } {
  const inputs = summaries.map((s) => rfmInputOf(s, meta.asOf));
  const rfm = rfmScores(inputs);
  const features = inputs.map((input) => ({ customerId: input.customerId, features: featuresOf(input, mix.get(input.customerId)) }));
  const clustering: Clustering | undefined = clusterCustomers(features);
  const segmentation: Segmentation = {
    ...meta,
    rfm: rfmBoundaries(inputs),
    clusters: clustering
      ? { k: clustering.k, silhouette: clustering.silhouette, means: clustering.means, deviations: clustering.deviations, clusters: clustering.clusters }
      : { k: 0, silhouette: null, ...standardisationOf(features.map((f) => f.features)), clusters: [] },
  };
  return {
    segmentOf: (customerId) => ({ rfm: rfm.get(customerId)!, cluster: clustering?.assignments.get(customerId) ?? null }),
    segmentation,
  };
}

/** One customer between fits: RFM from the stored boundaries, the nearest stored centroid. */
export function segmentOne(segmentation: Segmentation, summary: PurchaseSummary, counts: ChannelCounts | undefined): CustomerSegment {
  const input = rfmInputOf(summary, segmentation.asOf);
  return { rfm: rfmFromBoundaries(segmentation.rfm, input), cluster: nearestCluster(segmentation.clusters, featuresOf(input, counts)) ?? null };
}

/** The mix of every fitted customer, read MIX_BATCH profiles at a time. */
export async function readMix(source: InteractionMixSource, customerIds: readonly string[]): Promise<Map<string, ChannelCounts>> {
  const all = new Map<string, ChannelCounts>();
  for (let start = 0; start < customerIds.length; start += MIX_BATCH) {
    for (const [id, counts] of await source.channelCounts(customerIds.slice(start, start + MIX_BATCH))) all.set(id, counts);
  }
  return all;
}

/** The clusters as GET /analytics/clusters shows them: named features, centroids in original units. */
export function clustersView(segmentation: Segmentation): CustomerClusters {
  const { clusters } = segmentation;
  return {
    asOf: segmentation.asOf,
    k: clusters.k,
    silhouette: clusters.silhouette,
    features: clusters.means.map((mean, j) => ({ name: CLUSTER_FEATURES[j]!, mean, deviation: clusters.deviations[j]! })),
    clusters: clusters.clusters.map((c) => ({
      id: c.id,
      size: c.size,
      centroid: {
        recencyDays: c.centroid[0]!,
        transactions: c.centroid[1]!,
        monetary: c.centroid[2]!,
        mix: Object.fromEntries(CHANNELS.map((channel, i) => [channel, c.centroid[3 + i]!])) as Record<Channel, number>,
      },
    })),
    jobId: segmentation.jobId,
    fittedAt: segmentation.fittedAt,
  };
}
