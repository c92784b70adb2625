import type { BucketKey, PipelineScope } from '#domain/sales/pipeline-counters.ts';
import type { PipelineStages } from '#domain/sales/pipeline-stages.ts';

// Keys and item mappers of the pipeline part (pure; no I/O).
//   stages         pk PIPELINE               sk STAGES                    data: PipelineStages, version, openIds (the configured open stage ids)
//   open counts    pk PIPELINE               sk OPEN_BY_STAGE             open_<stage>: open opportunities in the stage
//   month bucket   pk PIPELINE#<scope>       sk MONTH#<YYYY-MM>#<currency> count, amount, weighted, won, wonAmount, lost,
//                  (scope: all | owner#<ownerId>)                          lostAmount, days_<stage>, exits_<stage> (integers; see pipeline-counters.ts)

export const STAGES_KEY = { pk: 'PIPELINE', sk: 'STAGES' } as const;
export const OPEN_COUNTS_KEY = { pk: 'PIPELINE', sk: 'OPEN_BY_STAGE' } as const;
export const openAttribute = (stage: string) => `open_${stage}`;
export const bucketPartition = (scope: PipelineScope) => `PIPELINE#${scope}`;
export const monthSortKey = (month: string) => `MONTH#${month}`;
export const bucketKey = (k: BucketKey) => ({ pk: bucketPartition(k.scope), sk: `${monthSortKey(k.month)}#${k.currency}` });
/** The month and currency of a bucket's sort key. */
export function monthAndCurrency(sk: string): { month: string; currency: string } {
  const [, month = '', currency = ''] = sk.split('#');
  return { month, currency };
}

export const toStagesItem = (p: PipelineStages) => ({ ...STAGES_KEY, type: 'PipelineStages', data: p, version: p.version, openIds: p.stages.map((s) => s.id) });
export const fromStagesItem = (item: Record<string, unknown>): PipelineStages => item.data as PipelineStages;
