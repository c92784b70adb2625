import type { AnalyticsJob, ClvModel, CustomerScores } from '#domain/analytics/clv-model.schema.ts';
import { TABLE } from '#infra/table.ts';
import { customerPartition } from '../customers/customer.keys.ts';

// The analytics context's items besides its purchases (purchase.keys.ts):
//
//   job        pk ANALYTICS_JOB#<id>      sk JOB          data (the job), TTL 30 days (expiresAt)
//   model      pk ANALYTICS               sk MODEL#clv    data (the current model; each fit replaces it)
//   scores     pk CUSTOMER#<id>           sk SCORES       data (in the person's partition: erasure deletes them)
//   clusters   pk ANALYTICS               sk CLUSTERS     data (the last fit's clusters: scale, centroids, sizes; no personal data)
//   rfm        pk ANALYTICS               sk RFM          data (the last fit's RFM quintile boundaries; written with the clusters)

/** A job stays readable this long after it was requested. */
export const JOB_TTL_SECONDS = 30 * 24 * 3600;

export const jobKey = (jobId: string) => ({ [TABLE.partitionKey]: `ANALYTICS_JOB#${jobId}`, [TABLE.sortKey]: 'JOB' });
export const modelKey = () => ({ [TABLE.partitionKey]: 'ANALYTICS', [TABLE.sortKey]: 'MODEL#clv' });
export const clustersKey = () => ({ [TABLE.partitionKey]: 'ANALYTICS', [TABLE.sortKey]: 'CLUSTERS' });
export const rfmKey = () => ({ [TABLE.partitionKey]: 'ANALYTICS', [TABLE.sortKey]: 'RFM' });
export const scoresKey = (customerId: string) => ({ [TABLE.partitionKey]: customerPartition(customerId), [TABLE.sortKey]: 'SCORES' });

export const jobItem = (job: AnalyticsJob) => ({ ...jobKey(job.jobId), data: job, expiresAt: Math.floor(Date.parse(job.requestedAt) / 1000) + JOB_TTL_SECONDS });
export const modelItem = (model: ClvModel) => ({ ...modelKey(), data: model });
export const scoresItem = (scores: CustomerScores) => ({ ...scoresKey(scores.customerId), data: scores });

export const jobOf = (item: Record<string, unknown>) => item.data as AnalyticsJob;
export const modelOf = (item: Record<string, unknown>) => item.data as ClvModel;
export const scoresOf = (item: Record<string, unknown>) => item.data as CustomerScores;
