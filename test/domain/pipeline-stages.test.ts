import { describe, expect, it } from 'vitest';
import { createOpportunity, patchOpportunity } from '../../domain/sales/opportunity.ts';
import type { PipelineRepository, StagesSaveResult } from '../../domain/sales/pipeline.ports.ts';
import { pipelineUseCases } from '../../domain/sales/pipeline.use-cases.ts';
import { reportMonths } from '../../domain/sales/pipeline-report.ts';
import { checkStages, DEFAULT_PIPELINE, nextPipeline, type PipelineStages, probabilityOf, removedStages, StageInUseError, UnknownStageError } from '../../domain/sales/pipeline-stages.ts';
import { StaleVersionError, ValidationError } from '../../domain/shared/errors.ts';

// The stage configuration's rules, the opportunity rules against a configured pipeline, and the
// report's month range.

const NOW = new Date('2026-12-01T10:00:00.000Z');
const stage = (id: string, probability = 20) => ({ id, label: id, probability });
const issuesOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).issues;
  }
  return expect.unreachable();
};

describe('stage configuration', () => {
  it('won and lost are not configured, ids are unique (400 naming the entry)', () => {
    expect(issuesOf(() => checkStages({ stages: [stage('a'), stage('won'), stage('a')] }))).toEqual([
      { path: 'stages.1.id', message: 'won always exists after the open stages and is not configured' },
      { path: 'stages.2.id', message: 'a appears twice' },
    ]);
    expect(() => checkStages({ stages: [stage('a'), stage('b')] })).not.toThrow();
  });

  it('a new configuration is one version on; removed stages are those it leaves out (a rename is a removal)', () => {
    const next = nextPipeline(DEFAULT_PIPELINE, { stages: [stage('prospecting'), stage('demo'), stage('negotiation')] }, NOW);
    expect(next).toMatchObject({ version: 2, updatedAt: NOW.toISOString(), finalStages: DEFAULT_PIPELINE.finalStages });
    expect(removedStages(DEFAULT_PIPELINE, next)).toEqual(['qualification', 'proposal']);
  });

  it('probabilities: configured ones, won 100, lost 0, undefined for a stage the pipeline does not have', () => {
    const p = { stages: [stage('demo', 35)] };
    expect([probabilityOf(p, 'demo'), probabilityOf(p, 'won'), probabilityOf(p, 'lost'), probabilityOf(p, 'proposal')]).toEqual([35, 100, 0, undefined]);
  });
});

describe('opportunities in a configured pipeline', () => {
  const pipeline = { stages: [stage('discovery', 15), stage('demo', 40)] };
  const input = { accountId: 'acc-1', name: 'Deal', amount: 100, currency: 'EUR', closeDate: '2027-03-31' };

  it('starts in the first configured stage at its probability; an unknown stage is 422 unknown-stage; won or lost at creation is 400', () => {
    expect(createOpportunity(input, { id: 'o', ownerId: 'me', now: NOW, pipeline }).opportunity).toMatchObject({ stage: 'discovery', probability: 15 });
    expect(() => createOpportunity({ ...input, stage: 'proposal' }, { id: 'o', ownerId: 'me', now: NOW, pipeline })).toThrow(UnknownStageError);
    expect(issuesOf(() => createOpportunity({ ...input, stage: 'won' }, { id: 'o', ownerId: 'me', now: NOW, pipeline }))).toEqual([{ path: 'stage', message: 'must be an open stage (not won or lost)' }]);
  });

  it('moves take the configured probability; an unknown stage is 422; won or lost without closeDate closes today, with one keeps it', () => {
    const o = createOpportunity(input, { id: 'o', ownerId: 'me', now: NOW, pipeline }).opportunity;
    expect(patchOpportunity(o, { stage: 'demo' }, NOW, pipeline).opportunity.probability).toBe(40);
    expect(() => patchOpportunity(o, { stage: 'negotiation' }, NOW, pipeline)).toThrow(UnknownStageError);
    const later = new Date('2027-01-09T23:00:00.000Z');
    expect(patchOpportunity(o, { stage: 'won' }, later, pipeline).opportunity.closeDate).toBe('2027-01-09');
    expect(patchOpportunity(o, { stage: 'lost', lostReason: 'price' }, later, pipeline).opportunity.closeDate).toBe('2027-01-09');
    expect(patchOpportunity(o, { stage: 'won', closeDate: '2027-01-02' }, later, pipeline).opportunity.closeDate).toBe('2027-01-02');
    expect(patchOpportunity(o, { amount: 5 }, later, pipeline).opportunity.closeDate).toBe('2027-03-31');
  });
});

describe('pipeline use cases', () => {
  function fakeRepository(open: Record<string, number>, saveAnswer: StagesSaveResult = 'saved') {
    let stored: PipelineStages = DEFAULT_PIPELINE;
    const saves: { version: number; removed: readonly string[] }[] = [];
    const repo: PipelineRepository = {
      stages: async () => stored,
      openCounts: async () => new Map(Object.entries(open)),
      saveStages: async (next, previousVersion, removed) => {
        saves.push({ version: previousVersion, removed });
        if (saveAnswer === 'saved') stored = next;
        return saveAnswer;
      },
      buckets: async () => [],
    };
    return { repo, saves };
  }
  const clock = { now: () => NOW };
  const keep = { stages: [stage('prospecting'), stage('qualification'), stage('proposal'), stage('negotiation'), stage('closing', 90)] };

  it('saves a new version, conditional on the version read and on the removed stages', async () => {
    const { repo, saves } = fakeRepository({});
    const p = pipelineUseCases({ pipeline: repo, clock });
    expect(await p.putStages(keep, 1)).toMatchObject({ version: 2 });
    expect((await p.putStages({ stages: [stage('closing')] }, 2)).stages).toEqual([stage('closing')]);
    expect(saves).toEqual([{ version: 1, removed: [] }, { version: 2, removed: ['prospecting', 'qualification', 'proposal', 'negotiation'] }]);
  });

  it('If-Match not the current version is 412; a stage with open opportunities cannot be removed (409 stage-in-use, nothing saved)', async () => {
    const { repo, saves } = fakeRepository({ proposal: 2, negotiation: 0 });
    const p = pipelineUseCases({ pipeline: repo, clock });
    await expect(p.putStages(keep, 7)).rejects.toBeInstanceOf(StaleVersionError);
    const refused = p.putStages({ stages: [stage('prospecting'), stage('qualification')] }, undefined);
    await expect(refused).rejects.toBeInstanceOf(StageInUseError);
    await expect(refused).rejects.toThrow('proposal (2 open)');
    expect(saves).toEqual([]);
  });

  it('a stage that gained an opportunity between the count and the write: 409 stage-in-use', async () => {
    const { repo } = fakeRepository({}, 'stage-in-use');
    await expect(pipelineUseCases({ pipeline: repo, clock }).putStages({ stages: [stage('x')] }, 1)).rejects.toMatchObject({ code: 'stage-in-use' });
  });
});

describe('report months', () => {
  it('defaults to a year from this month; from after to, or more than 24 months, is 400', () => {
    expect(reportMonths({}, NOW)).toEqual({ from: '2026-12', to: '2027-11' });
    expect(reportMonths({ from: '2026-01', to: '2027-12' }, NOW)).toEqual({ from: '2026-01', to: '2027-12' });
    expect(issuesOf(() => reportMonths({ from: '2026-01', to: '2028-01' }, NOW))).toEqual([{ path: 'to', message: 'at most 24 months after from' }]);
    expect(issuesOf(() => reportMonths({ from: '2026-05', to: '2026-04' }, NOW))).toEqual([{ path: 'from', message: 'must not be after to' }]);
  });
});
