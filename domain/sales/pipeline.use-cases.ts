import { ConcurrentUpdateError, StaleVersionError } from '../shared/errors.ts';
import type { Clock } from '../shared/ports.ts';
import { ownerScope } from './pipeline-counters.ts';
import type { PipelineRepository } from './pipeline.ports.ts';
import { type PipelineReport, pipelineReport, reportMonths } from './pipeline-report.ts';
import { nextPipeline, type PipelineStages, type PipelineStagesInput, removedStages, StageInUseError } from './pipeline-stages.ts';

export interface PipelineDeps {
  readonly pipeline: PipelineRepository;
  readonly clock: Clock;
}

export function pipelineUseCases({ pipeline, clock }: PipelineDeps) {
  async function inUse(stages: readonly string[]): Promise<Map<string, number>> {
    if (stages.length === 0) return new Map();
    const counts = await pipeline.openCounts();
    return new Map(stages.flatMap((s) => ((counts.get(s) ?? 0) > 0 ? [[s, counts.get(s)!] as const] : [])));
  }

  return {
    stages: () => pipeline.stages(),

    /**
     * flow: 1. If-Match 2. the configuration's own rules 3. a stage left out holds no open opportunity
     * (the count, and again as a condition in the write, so an opportunity moving in meanwhile is not stranded)
     * 4. one conditional write.
     */
    async putStages(input: PipelineStagesInput, ifMatch: number | undefined): Promise<PipelineStages> {
      const current = await pipeline.stages();
      if (ifMatch !== undefined && ifMatch !== current.version) throw new StaleVersionError(ifMatch, current.version);
      const next = nextPipeline(current, input, clock.now());
      const removed = removedStages(current, next);
      const uses = await inUse(removed);
      if (uses.size > 0) throw new StageInUseError(uses);
      const result = await pipeline.saveStages(next, current.version, removed);
      if (result === 'saved') return next;
      if (result === 'stage-in-use') throw new StageInUseError(await inUse(removed));
      throw ifMatch !== undefined ? new StaleVersionError(ifMatch) : new ConcurrentUpdateError();
    },

    /** flow: the month range (400 beyond 24 months), one Query of the scope's buckets, the figures per (month, currency). */
    async report(query: { from?: string | undefined; to?: string | undefined; owner?: string | undefined }): Promise<PipelineReport> {
      const range = reportMonths(query, clock.now());
      const buckets = await pipeline.buckets(query.owner ? ownerScope(query.owner) : 'all', range.from, range.to);
      return pipelineReport(range, query.owner ?? null, buckets);
    },
  };
}

export type PipelineUseCases = ReturnType<typeof pipelineUseCases>;
