import { kmeans } from 'ml-kmeans';

// Customer clusters: k-means (k-means++ seeding with a fixed seed, so a refit of the same data
// gives the same clusters) on standardised features, k chosen between 2 and 8 by the mean
// silhouette over a deterministic sample. Centroids are reported back in the features' units.

export interface ClusterInput {
  readonly customerId: string;
  readonly features: readonly number[];
}

export interface Cluster {
  readonly id: number;
  readonly size: number;
  /** The mean of each feature over the cluster, in original units. */
  readonly centroid: number[];
}

/** How features were standardised: (value - mean) / deviation, 0 where the deviation is 0. */
export interface Standardisation {
  readonly means: readonly number[];
  /** Population standard deviations. */
  readonly deviations: readonly number[];
}

export interface Clustering extends Standardisation {
  readonly k: number;
  readonly silhouette: number;
  readonly clusters: Cluster[];
  readonly assignments: Map<string, number>;
}

export const CLUSTER_SEED = 20_051_001;
const MIN_K = 2;
const MAX_K = 8;
/** The silhouette costs n² distances: scored on at most this many customers. */
export const SILHOUETTE_SAMPLE = 2000;

export function standardisationOf(rows: readonly (readonly number[])[]): Standardisation {
  const d = rows[0]?.length ?? 0;
  const means = Array.from({ length: d }, (_, j) => rows.reduce((s, row) => s + row[j]!, 0) / rows.length);
  const deviations = Array.from({ length: d }, (_, j) => Math.sqrt(rows.reduce((s, row) => s + (row[j]! - means[j]!) ** 2, 0) / rows.length));
  return { means, deviations };
}

/** One row in standardised units. A feature with no spread carries no information: it becomes 0 for everybody. */
export function standardised(scale: Standardisation, row: readonly number[]): number[] {
  return row.map((v, j) => (scale.deviations[j]! > 0 ? (v - scale.means[j]!) / scale.deviations[j]! : 0));
}

const distance = (x: readonly number[], y: readonly number[]) => Math.sqrt(x.reduce((s, v, i) => s + (v - y[i]!) ** 2, 0));

/** The mean silhouette of the labelled points: (b - a) / max(a, b), 0 for a point alone in its cluster. */
export function meanSilhouette(points: readonly (readonly number[])[], labels: readonly number[]): number {
  const k = Math.max(...labels) + 1;
  let total = 0;
  for (let i = 0; i < points.length; i++) {
    const sums = new Array<number>(k).fill(0);
    const counts = new Array<number>(k).fill(0);
    for (let j = 0; j < points.length; j++) {
      if (i === j) continue;
      sums[labels[j]!]! += distance(points[i]!, points[j]!);
      counts[labels[j]!]!++;
    }
    const own = labels[i]!;
    if (counts[own] === 0) continue;
    const a = sums[own]! / counts[own]!;
    let b = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) if (c !== own && counts[c]! > 0) b = Math.min(b, sums[c]! / counts[c]!);
    if (Number.isFinite(b) && Math.max(a, b) > 0) total += (b - a) / Math.max(a, b);
  }
  return total / points.length;
}

/** Every n-th point (n from the population's size): deterministic, spread over the whole input. */
function sampleIndices(n: number, size: number): number[] {
  const step = Math.max(1, Math.ceil(n / size));
  return Array.from({ length: Math.ceil(n / step) }, (_, i) => i * step);
}

export function clusterCustomers(inputs: readonly ClusterInput[]): Clustering | undefined {
  // Fewer distinct customers than clusters cannot be clustered meaningfully.
  if (inputs.length < MIN_K + 1) return undefined;
  const raw = inputs.map((c) => c.features);
  const scale = standardisationOf(raw);
  const points = raw.map((row) => standardised(scale, row));
  const sample = sampleIndices(points.length, SILHOUETTE_SAMPLE);
  let best: { k: number; silhouette: number; labels: number[] } | undefined;
  for (let k = MIN_K; k <= Math.min(MAX_K, points.length - 1); k++) {
    const { clusters } = kmeans(points, k, { seed: CLUSTER_SEED, initialization: 'kmeans++', maxIterations: 300 });
    const silhouette = meanSilhouette(
      sample.map((i) => points[i]!),
      sample.map((i) => clusters[i]!),
    );
    if (!best || silhouette > best.silhouette + 1e-12) best = { k, silhouette, labels: clusters };
  }
  if (!best) return undefined;
  // Ids by size, largest first, so that a refit names the same groups the same way.
  const sizes = new Map<number, number>();
  for (const label of best.labels) sizes.set(label, (sizes.get(label) ?? 0) + 1);
  const order = [...sizes].sort((x, y) => y[1] - x[1] || x[0] - y[0]).map(([label]) => label);
  const idOf = new Map(order.map((label, id) => [label, id]));
  const d = raw[0]!.length;
  const clusters: Cluster[] = order.map((label, id) => {
    const members = raw.filter((_, i) => best.labels[i] === label);
    return { id, size: members.length, centroid: Array.from({ length: d }, (_, j) => members.reduce((s, row) => s + row[j]!, 0) / members.length) };
  });
  return {
    ...scale,
    // The clusters found: fewer than the k asked when k-means leaves one empty (customers who all look alike).
    k: clusters.length,
    silhouette: best.silhouette,
    clusters,
    assignments: new Map(inputs.map((c, i) => [c.customerId, idOf.get(best.labels[i]!)!])),
  };
}

/**
 * The cluster a customer's features fall in: the nearest centroid in standardised units (the
 * fit's scale; a centroid's standardised value is its members' mean standardised value, the
 * scale being affine). Ties go to the lower id. How a customer between fits gets a cluster.
 */
export function nearestCluster(clustering: Standardisation & { readonly clusters: readonly { readonly id: number; readonly centroid: readonly number[] }[] }, features: readonly number[]): number | undefined {
  const point = standardised(clustering, features);
  let best: { id: number; distance: number } | undefined;
  for (const cluster of clustering.clusters) {
    const d = distance(point, standardised(clustering, cluster.centroid));
    if (!best || d < best.distance || (d === best.distance && cluster.id < best.id)) best = { id: cluster.id, distance: d };
  }
  return best?.id;
}
