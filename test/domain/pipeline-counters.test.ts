import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createOpportunity, patchOpportunity } from '../../domain/sales/opportunity.ts';
import type { Opportunity, OpportunityPatch } from '../../domain/sales/opportunity.schema.ts';
import { MAX_COUNTER_BUCKETS, pipelineDeltas, scaledAmount, TooManyCountersError, wholeDays } from '../../domain/sales/pipeline-counters.ts';
import { pipelineReport } from '../../domain/sales/pipeline-report.ts';
import type { PipelineStages } from '../../domain/sales/pipeline-stages.ts';
import { DomainError } from '../../domain/shared/errors.ts';
import { pipelineCounterUpdates } from '../../functions/sales/pipeline-counters.ts';
import { bucketKey, monthAndCurrency, OPEN_COUNTS_KEY, STAGES_KEY } from '../../functions/sales/pipeline.keys.ts';

// The proof the pipeline report needs: whatever sequence of creates and patches, the counters that
// the transact items of pipelineCounterUpdates leave in the table equal a recount of the
// opportunities (written here independently, from the opportunities as they end up).

const PIPELINE: Pick<PipelineStages, 'stages'> = {
  stages: [
    { id: 'lead_in', label: 'Lead in', probability: 5 },
    { id: 'demo', label: 'Demo', probability: 30 },
    { id: 'contract_sent', label: 'Contract sent', probability: 80 },
  ],
};
const OPEN = PIPELINE.stages.map((s) => s.id);
const T0 = Date.parse('2026-10-20T09:00:00.000Z');

/** The table, as far as ADD goes: pk|sk -> attribute -> value. */
type Table = Map<string, Map<string, bigint>>;

function apply(table: Table, items: ReturnType<typeof pipelineCounterUpdates>, configured: readonly string[]) {
  const touched = items.map((item) => {
    const key = (item.Update?.Key ?? item.ConditionCheck?.Key)!;
    return `${key.pk}|${key.sk}`;
  });
  expect(new Set(touched).size, 'a transaction touches an item at most once').toBe(touched.length);
  items.forEach((item, i) => {
    if (item.ConditionCheck) {
      expect(i, 'the stage guard comes first').toBe(0);
      expect(item.ConditionCheck.Key).toEqual(STAGES_KEY);
      expect(configured).toContain(item.ConditionCheck.ExpressionAttributeValues![':stage']);
      return;
    }
    const update = item.Update!;
    expect(update.ConditionExpression).toBeUndefined();
    const row = table.get(touched[i]!) ?? new Map<string, bigint>();
    for (const clause of update.UpdateExpression!.replace(/^ADD /, '').split(', ')) {
      const [name, value] = clause.split(' ') as [string, string];
      const attribute = update.ExpressionAttributeNames![name]!;
      row.set(attribute, (row.get(attribute) ?? 0n) + BigInt(update.ExpressionAttributeValues![value] as bigint | number));
    }
    table.set(touched[i]!, row);
  });
}

/** The recount: straight from the opportunities, with each amount's exact units as generated. */
function recount(opportunities: readonly Opportunity[], units: ReadonlyMap<string, bigint>): Table {
  const table: Table = new Map();
  const add = (scope: string, month: string, currency: string, field: string, by: bigint) => {
    const key = bucketKey({ scope: scope as 'all', month, currency });
    const id = `${key.pk}|${key.sk}`;
    const row = table.get(id) ?? new Map<string, bigint>();
    row.set(field, (row.get(field) ?? 0n) + by);
    table.set(id, row);
  };
  for (const o of opportunities) {
    const amount = units.get(o.id)!;
    for (const scope of ['all', `owner#${o.ownerId}`]) {
      const month = o.closeDate.slice(0, 7);
      add(scope, month, o.currency, 'count', 1n);
      add(scope, month, o.currency, 'amount', amount);
      add(scope, month, o.currency, 'weighted', amount * BigInt(o.probability));
      if (o.stage === 'won') (add(scope, month, o.currency, 'won', 1n), add(scope, month, o.currency, 'wonAmount', amount));
      if (o.stage === 'lost') (add(scope, month, o.currency, 'lost', 1n), add(scope, month, o.currency, 'lostAmount', amount));
      for (let i = 0; i + 1 < o.stageHistory.length; i++) {
        const { stage, at } = o.stageHistory[i]!;
        const left = o.stageHistory[i + 1]!.at;
        add(scope, left.slice(0, 7), o.currency, `days_${stage}`, BigInt(Math.floor((Date.parse(left) - Date.parse(at)) / 86_400_000)));
        add(scope, left.slice(0, 7), o.currency, `exits_${stage}`, 1n);
      }
    }
  }
  const open = new Map<string, bigint>();
  for (const o of opportunities) if (o.stage !== 'won' && o.stage !== 'lost') open.set(`open_${o.stage}`, (open.get(`open_${o.stage}`) ?? 0n) + 1n);
  if (open.size > 0) table.set(`${OPEN_COUNTS_KEY.pk}|${OPEN_COUNTS_KEY.sk}`, open);
  return table;
}

/** Zeros are what ADD leaves behind when figures move away: a recount has no such entries. */
const withoutZeros = (table: Table) =>
  new Map([...table].map(([id, row]) => [id, new Map([...row].filter(([, v]) => v !== 0n))] as const).filter(([, row]) => row.size > 0));

const day = fc.integer({ min: 0, max: 700 }).map((d) => new Date(Date.parse('2026-01-01') + d * 86_400_000).toISOString().slice(0, 10));
const units = fc.bigInt({ min: 0n, max: 10_000_000_000n }); // up to 1,000,000 in 1/10,000
const currency = fc.constantFrom('EUR', 'USD');
const owner = fc.constantFrom('ana', 'ben', 'cy');
const create = fc.record({ kind: fc.constant('create' as const), units, currency, owner, closeDate: day, stage: fc.option(fc.constantFrom(...OPEN), { nil: undefined }), probability: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }) });
const patch = fc.record({
  kind: fc.constant('patch' as const),
  which: fc.nat(),
  units: fc.option(units, { nil: undefined }),
  currency: fc.option(currency, { nil: undefined }),
  owner: fc.option(owner, { nil: undefined }),
  closeDate: fc.option(day, { nil: undefined }),
  stage: fc.option(fc.constantFrom(...OPEN, 'won', 'lost'), { nil: undefined }),
  probability: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
});
/** Hours between writes: up to ~45 days, so stays cross months. */
const step = fc.tuple(fc.oneof(create, patch), fc.integer({ min: 0, max: 1100 }));

describe('pipeline counters', () => {
  it('property: after any sequence of creates and patches, the counters equal a recount of the opportunities', () => {
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 40 }), (steps) => {
        const table: Table = new Map();
        const opportunities: Opportunity[] = [];
        const amountUnits = new Map<string, bigint>();
        let now = T0;
        for (const [op, hours] of steps) {
          now += hours * 3_600_000;
          const at = new Date(now);
          if (op.kind === 'create') {
            const input = { accountId: 'acc', name: 'Deal', amount: Number(op.units) / 10_000, currency: op.currency, closeDate: op.closeDate, ownerId: op.owner, ...(op.stage ? { stage: op.stage } : {}), ...(op.probability !== undefined ? { probability: op.probability } : {}) };
            const { opportunity } = createOpportunity(input, { id: `o${opportunities.length}`, ownerId: 'caller', now: at, pipeline: PIPELINE });
            apply(table, pipelineCounterUpdates('crm', undefined, opportunity), OPEN);
            opportunities.push(opportunity);
            amountUnits.set(opportunity.id, op.units);
            continue;
          }
          if (opportunities.length === 0) continue;
          const index = op.which % opportunities.length;
          const current = opportunities[index]!;
          const change: OpportunityPatch = {
            ...(op.units !== undefined ? { amount: Number(op.units) / 10_000 } : {}),
            ...(op.currency ? { currency: op.currency } : {}),
            ...(op.owner ? { ownerId: op.owner } : {}),
            ...(op.closeDate ? { closeDate: op.closeDate } : {}),
            ...(op.stage ? { stage: op.stage } : {}),
            ...(op.probability !== undefined ? { probability: op.probability } : {}),
            ...(op.stage === 'lost' ? { lostReason: 'price' } : {}),
          };
          let next: Opportunity;
          try {
            next = patchOpportunity(current, change, at, PIPELINE).opportunity;
          } catch (error) {
            expect(error).toBeInstanceOf(DomainError); // a final opportunity: nothing is written
            continue;
          }
          apply(table, pipelineCounterUpdates('crm', current, next), OPEN);
          opportunities[index] = next;
          if (op.units !== undefined) amountUnits.set(next.id, op.units);
        }
        expect(withoutZeros(table)).toEqual(withoutZeros(recount(opportunities, amountUnits)));
      }),
      { numRuns: 300 },
    );
  });

  const base = createOpportunity({ accountId: 'acc', name: 'Deal', amount: 1234.5678, currency: 'EUR', closeDate: '2027-01-15', ownerId: 'ana' }, { id: 'o1', ownerId: 'x', now: new Date(T0), pipeline: PIPELINE }).opportunity;

  it('a new opportunity: count, amount and weighted amount in its close month for all and its owner, one open in its stage, a guard on its stage', () => {
    const items = pipelineCounterUpdates('crm', undefined, base);
    expect(items[0]!.ConditionCheck).toMatchObject({ Key: STAGES_KEY, ExpressionAttributeValues: { ':stage': 'lead_in' }, ConditionExpression: 'contains(openIds, :stage)' });
    const deltas = pipelineDeltas(undefined, base);
    expect(deltas.buckets.map((b) => [b.key, Object.fromEntries(b.figures)])).toEqual([
      [{ scope: 'all', month: '2027-01', currency: 'EUR' }, { count: 1n, amount: 12_345_678n, weighted: 12_345_678n * 5n }],
      [{ scope: 'owner#ana', month: '2027-01', currency: 'EUR' }, { count: 1n, amount: 12_345_678n, weighted: 12_345_678n * 5n }],
    ]);
    expect(deltas.open).toEqual(new Map([['lead_in', 1]]));
  });

  it('a default-pipeline stage passes the guard while no pipeline is saved', () => {
    const o = createOpportunity({ accountId: 'acc', name: 'Deal', amount: 1, currency: 'EUR', closeDate: '2027-01-15' }, { id: 'o2', ownerId: 'x', now: new Date(T0) }).opportunity;
    expect(pipelineCounterUpdates('crm', undefined, o)[0]!.ConditionCheck!.ConditionExpression).toBe('attribute_not_exists(pk) OR contains(openIds, :stage)');
  });

  it('a move to won: the stage left counts its whole days in the month it was left; the figures move to the close month; no guard', () => {
    const won = patchOpportunity(base, { stage: 'won' }, new Date(T0 + 12.5 * 86_400_000), PIPELINE).opportunity;
    expect(won.closeDate).toBe('2026-11-01'); // closed today: the report counts it in the month it was won
    const deltas = pipelineDeltas(base, won);
    expect(deltas.enters).toBeUndefined();
    const all = Object.fromEntries(deltas.buckets.filter((b) => b.key.scope === 'all').map((b) => [b.key.month, Object.fromEntries(b.figures)]));
    expect(all).toEqual({
      '2027-01': { count: -1n, amount: -12_345_678n, weighted: -12_345_678n * 5n },
      '2026-11': { count: 1n, amount: 12_345_678n, weighted: 12_345_678n * 100n, won: 1n, wonAmount: 12_345_678n, days_lead_in: 12n, exits_lead_in: 1n },
    });
    expect(deltas.open).toEqual(new Map([['lead_in', -1]]));
    expect(pipelineCounterUpdates('crm', base, won).some((i) => i.ConditionCheck)).toBe(false);
  });

  it('a patch that changes nothing the report counts touches no counter', () => {
    const renamed = patchOpportunity(base, { name: 'Other' }, new Date(T0 + 1000), PIPELINE).opportunity;
    expect(pipelineCounterUpdates('crm', base, renamed)).toEqual([]);
  });

  it('scaledAmount is exact to 1/10,000 from the decimal form; wholeDays rounds down', () => {
    expect([0, 0.0001, 0.3, 0.1 + 0.2, 1234.5678, 999_999_999_999.9999, 1e12].map(scaledAmount)).toEqual([0n, 1n, 3000n, 3000n, 12_345_678n, 9_999_999_999_999_999n, 10_000_000_000_000_000n]);
    expect(wholeDays('2026-01-01T10:00:00.000Z', '2026-01-03T09:59:59.999Z')).toBe(1);
    expect(wholeDays('2026-01-01T10:00:00.000Z', '2026-01-03T10:00:00.000Z')).toBe(2);
  });

  it('an owner change of an opportunity whose history spans more months than a transaction can move is refused (409), not split', () => {
    let o = base;
    for (let month = 1; month <= 45; month++) o = patchOpportunity(o, { stage: month % 2 ? 'demo' : 'lead_in' }, new Date(T0 + month * 31 * 86_400_000), PIPELINE).opportunity;
    const moved = patchOpportunity(o, { ownerId: 'ben' }, new Date(T0 + 46 * 31 * 86_400_000), PIPELINE).opportunity;
    expect(() => pipelineDeltas(o, moved)).toThrow(TooManyCountersError);
    expect(pipelineDeltas(o, { ...o, name: 'x' }).buckets.length).toBeLessThanOrEqual(MAX_COUNTER_BUCKETS);
  });
});

describe('pipelineReport', () => {
  const figures = (f: Record<string, bigint>) => new Map(Object.entries(f));
  it('per month and currency: amounts exact, weighted amount, win rate (null without closed ones), average days per stage; empty buckets left out', () => {
    const report = pipelineReport({ from: '2027-01', to: '2027-03' }, 'ana', [
      { month: '2027-02', currency: 'EUR', figures: figures({ count: 3n, amount: 3_000_5000n, weighted: 1_500_250_000n, won: 1n, wonAmount: 1_000_0000n, lost: 2n, lostAmount: 500_0000n, days_demo: 7n, exits_demo: 2n }) },
      { month: '2027-01', currency: 'USD', figures: figures({ count: 1n, amount: 1n, weighted: 25n }) },
      { month: '2027-01', currency: 'EUR', figures: figures({ count: 0n, amount: 0n, weighted: 0n, exits_demo: 0n, days_demo: 0n }) },
    ]);
    expect(report).toEqual({
      from: '2027-01',
      to: '2027-03',
      owner: 'ana',
      months: [
        { month: '2027-01', currency: 'USD', count: 1, amount: 0.0001, weightedAmount: 0.000025, won: 0, wonAmount: 0, lost: 0, lostAmount: 0, winRate: null, avgDaysPerStage: {} },
        { month: '2027-02', currency: 'EUR', count: 3, amount: 3000.5, weightedAmount: 1500.25, won: 1, wonAmount: 1000, lost: 2, lostAmount: 500, winRate: 0.3333, avgDaysPerStage: { demo: 3.5 } },
      ],
    });
    expect(monthAndCurrency(bucketKey({ scope: 'owner#a#b', month: '2027-02', currency: 'EUR' }).sk)).toEqual({ month: '2027-02', currency: 'EUR' });
  });
});
