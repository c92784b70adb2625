import * as z from '#domain/shared/zod.ts';
import { ConflictError, UnprocessableError, ValidationError } from '../shared/errors.ts';

// The configurable pipeline (issue 12): the OPEN stages in order with their default probabilities.
// `won` (100) and `lost` (0) always exist after them, are final and are not configured. Until an
// admin or manager configures it, the pipeline is the default one below (version 1).

export const FINAL_STAGES = ['won', 'lost'] as const;
export type FinalStage = (typeof FINAL_STAGES)[number];
export const isFinal = (stage: string): stage is FinalStage => stage === 'won' || stage === 'lost';

/** A stage id: lower case, digits and underscores, starting with a letter (it names counter attributes too). */
export const StageId = z.onFirstUse(() => z.string().check(z.regex(/^[a-z][a-z0-9_]{0,39}$/, 'must be a stage id: a lower-case letter, then up to 39 lower-case letters, digits or _')));
const Probability = z.onFirstUse(() => z.int().check(z.gte(0), z.lte(100)));

export const PipelineStage = z.onFirstUse(() => z.strictObject({ id: StageId, label: z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(100)), probability: Probability }).register(z.globalRegistry, { id: 'PipelineStage' }));
export type PipelineStage = z.infer<typeof PipelineStage>;

export const MAX_STAGES = 20;

/** PUT /pipeline/stages: the open stages in pipeline order (won and lost are implicit). */
export const PipelineStagesInput = z.onFirstUse(() => z.strictObject({ stages: z.array(PipelineStage).check(z.minLength(1), z.maxLength(MAX_STAGES)) }).register(z.globalRegistry, { id: 'PipelineStagesInput' }));
export type PipelineStagesInput = z.output<typeof PipelineStagesInput>;

export const PipelineStages = z.onFirstUse(() => z
  .object({
    stages: z.array(PipelineStage),
    /** won (100) and lost (0): always there, final, not configurable. */
    finalStages: z.array(PipelineStage),
    /** 1 for the default pipeline that was never configured. */
    version: z.int().check(z.positive()),
    updatedAt: z.nullable(z.iso.datetime()),
  })
  .register(z.globalRegistry, { id: 'PipelineStages' }));
export type PipelineStages = z.infer<typeof PipelineStages>;

/** Fields of the answer a client may send back in a PUT (ignored there). */
export const READ_ONLY_PIPELINE_FIELDS = ['finalStages', 'version', 'updatedAt'];

export const FINAL_PIPELINE_STAGES: readonly PipelineStage[] = [
  { id: 'won', label: 'Won', probability: 100 },
  { id: 'lost', label: 'Lost', probability: 0 },
];

export const DEFAULT_PIPELINE: PipelineStages = {
  stages: [
    { id: 'prospecting', label: 'Prospecting', probability: 10 },
    { id: 'qualification', label: 'Qualification', probability: 25 },
    { id: 'proposal', label: 'Proposal', probability: 50 },
    { id: 'negotiation', label: 'Negotiation', probability: 75 },
  ],
  finalStages: [...FINAL_PIPELINE_STAGES],
  version: 1,
  updatedAt: null,
};

export class UnknownStageError extends UnprocessableError {
  override readonly code = 'unknown-stage';
  constructor(stage: string) {
    super(`No stage ${stage} in the pipeline (GET /pipeline/stages lists them; won and lost are always there).`);
  }
}

/** Open opportunities still sit in stages the new configuration leaves out (renaming is removing and adding). */
export class StageInUseError extends ConflictError {
  override readonly code = 'stage-in-use';
  constructor(uses: ReadonlyMap<string, number>) {
    const list = [...uses].map(([stage, n]) => `${stage} (${n} open)`).join(', ');
    super(`Open opportunities are still in stages the new pipeline leaves out: ${list}. Move them first.`);
  }
}

/** The default probability of a stage of this pipeline; undefined for a stage it does not have. */
export function probabilityOf(pipeline: Pick<PipelineStages, 'stages'>, stage: string): number | undefined {
  if (stage === 'won') return 100;
  if (stage === 'lost') return 0;
  return pipeline.stages.find((s) => s.id === stage)?.probability;
}

/** The rules the schema cannot say: ids unique, and won and lost are not configured (they always exist). */
export function checkStages(input: PipelineStagesInput): void {
  const issues = input.stages.flatMap((stage, i) => {
    if (isFinal(stage.id)) return [{ path: `stages.${i}.id`, message: `${stage.id} always exists after the open stages and is not configured` }];
    if (input.stages.findIndex((s) => s.id === stage.id) !== i) return [{ path: `stages.${i}.id`, message: `${stage.id} appears twice` }];
    return [];
  });
  if (issues.length > 0) throw new ValidationError('The pipeline names won or lost, or a stage twice.', issues);
}

/** The new configuration (one version on). */
export function nextPipeline(current: PipelineStages, input: PipelineStagesInput, now: Date): PipelineStages {
  checkStages(input);
  return { stages: input.stages, finalStages: [...FINAL_PIPELINE_STAGES], version: current.version + 1, updatedAt: now.toISOString() };
}

/** Open stages of `current` that `next` leaves out: they must hold no open opportunity. */
export const removedStages = (current: PipelineStages, next: Pick<PipelineStages, 'stages'>): string[] =>
  current.stages.map((s) => s.id).filter((id) => !next.stages.some((s) => s.id === id));
