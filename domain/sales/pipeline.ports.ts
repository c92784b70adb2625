import type { Figures, PipelineScope } from './pipeline-counters.ts';
import type { PipelineStages } from './pipeline-stages.ts';

// What the pipeline use cases need from storage (functions/sales/pipeline.dynamodb-repository.ts).

export type StagesSaveResult = 'saved' | 'version-moved' | 'stage-in-use';

export interface PipelineRepository {
  /** The configuration; the default pipeline (version 1) until one is saved. */
  stages(): Promise<PipelineStages>;
  /** Open opportunities per stage (kept exactly by every opportunity write). */
  openCounts(): Promise<ReadonlyMap<string, number>>;
  /** One transaction: the configuration is still at `previousVersion`, and the `removed` stages still hold no open opportunity. */
  saveStages(next: PipelineStages, previousVersion: number, removed: readonly string[]): Promise<StagesSaveResult>;
  /** The counter buckets of one scope for the months from..to (one Query). */
  buckets(scope: PipelineScope, from: string, to: string): Promise<{ month: string; currency: string; figures: Figures }[]>;
}
