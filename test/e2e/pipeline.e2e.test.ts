import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

// The pipeline through the local runtime: stages configured with If-Match, opportunities created,
// moved, won and lost across months, currencies and owners on the virtual clock, and the report's
// figures checked exactly (from the counters the opportunity writes keep); stage-in-use,
// unknown-stage, and the closingBefore listing paged.

let t: TestRuntime;
let accountId: string;
const mergePatch = { 'content-type': 'application/merge-patch+json' };
const DAY = 86_400;

const addMonths = (month: string, n: number) => {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
};
const now = async () => new Date((await t.call('GET', '/_local/clock', { role: null })).json.now as string);
const advance = async (seconds: number) => expect((await t.call('POST', '/_local/clock/advance', { role: null, body: { seconds } })).status).toBe(200);
const putStages = (stages: { id: string; label: string; probability: number }[], version?: number, role: 'admin' | 'manager' | 'agent' = 'manager') =>
  t.call('PUT', '/pipeline/stages', { role, body: { stages }, headers: version ? { 'if-match': `"${version}"` } : {} });
async function create(body: Record<string, unknown>) {
  const res = await t.call('POST', '/opportunities', { role: 'agent', body: { accountId, name: 'Deal', ...body } });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; stage: string; probability: number; closeDate: string; version: number };
}
async function patch(id: string, body: Record<string, unknown>) {
  const res = await t.call('PATCH', `/opportunities/${id}`, { role: 'agent', body, headers: mergePatch });
  expect(res.status, res.text).toBe(200);
  return res.json;
}
const report = async (query: string, role: 'admin' | 'manager' = 'admin') => {
  const res = await t.call('GET', `/reports/pipeline?${query}`, { role });
  expect(res.status, res.text).toBe(200);
  return res.json;
};

const stage = (id: string, probability: number) => ({ id, label: id[0]!.toUpperCase() + id.slice(1), probability });
const STAGES = [stage('discovery', 20), stage('demo', 40), stage('proposal', 60)];

beforeAll(async () => {
  t = await startTestRuntime();
  const account = await t.call('POST', '/accounts', { role: 'agent', body: { name: 'Pipeline Corp' } });
  expect(account.status, account.text).toBe(201);
  accountId = account.json.id;
});
afterAll(async () => {
  await t?.runtime.stop();
});

describe('pipeline', () => {
  it('stages: the default until configured; PUT with If-Match (412 when stale), won/lost or duplicates 400, agents 403', async () => {
    const initial = await t.call('GET', '/pipeline/stages', { role: 'marketer' });
    expect(initial.status).toBe(200);
    expect(initial.headers.get('etag')).toBe('"1"');
    expect(initial.json).toMatchObject({ version: 1, updatedAt: null, finalStages: [{ id: 'won', probability: 100 }, { id: 'lost', probability: 0 }] });
    expect(initial.json.stages.map((s: { id: string; probability: number }) => [s.id, s.probability])).toEqual([['prospecting', 10], ['qualification', 25], ['proposal', 50], ['negotiation', 75]]);

    expect((await putStages(STAGES, undefined, 'agent')).status).toBe(403);
    const won = await putStages([stage('discovery', 20), stage('won', 100)], 1);
    expect(won.status).toBe(400);
    expect(won.json.errors).toEqual([{ path: 'stages.1.id', message: 'won always exists after the open stages and is not configured' }]);
    expect((await putStages([stage('demo', 1), stage('demo', 2)], 1)).status).toBe(400);
    expect((await putStages([stage('Bad-Id', 1)], 1)).status).toBe(400);
    expect((await putStages([stage('demo', 101)], 1)).status).toBe(400);
    expect((await putStages([], 1)).status).toBe(400);

    const saved = await putStages(STAGES, 1);
    expect(saved.status, saved.text).toBe(200);
    expect(saved.headers.get('etag')).toBe('"2"');
    expect(saved.json).toMatchObject({ version: 2, stages: STAGES });
    const stale = await putStages([...STAGES, stage('closing', 90)], 1);
    expect(stale.status).toBe(412);
    expect(stale.json.type).toBe('urn:ecrm:problem:stale-version');
    expect((await t.call('GET', '/pipeline/stages', { role: 'agent' })).json).toMatchObject({ version: 2, stages: STAGES });
  });

  it('unknown stages are 422 unknown-stage; a new opportunity starts in the first configured stage at its probability', async () => {
    const created = await t.call('POST', '/opportunities', { role: 'agent', body: { accountId, name: 'X', amount: 1, currency: 'EUR', closeDate: '2030-01-01', stage: 'negotiation' } });
    expect(created.status).toBe(422);
    expect(created.json.type).toBe('urn:ecrm:problem:unknown-stage');
    expect((await t.call('GET', '/opportunities?stage=negotiation', { role: 'agent' })).status).toBe(400);
    // Kept for the closingBefore test: the latest close date of all.
    const o = await create({ amount: 1, currency: 'EUR', closeDate: '2099-12-31' });
    expect(o).toMatchObject({ stage: 'discovery', probability: 20 });
    const moved = await t.call('PATCH', `/opportunities/${o.id}`, { role: 'agent', body: { stage: 'qualification' }, headers: mergePatch });
    expect(moved.status).toBe(422);
    expect(moved.json.type).toBe('urn:ecrm:problem:unknown-stage');
    expect((await t.call('GET', `/opportunities/${o.id}`, { role: 'agent' })).json.version).toBe(1);
  });

  it('the report: per month and currency, for all and per owner, exactly as the opportunities are after creates, moves, wins, losses and changes', async () => {
    // To noon on the 1st of next month (M), so that every stage exit and every close falls in M.
    const start = await now();
    const M = addMonths(start.toISOString().slice(0, 7), 1);
    await advance(Math.ceil((Date.parse(`${M}-01T12:00:00.000Z`) - start.getTime()) / 1000));
    const [M3, M4] = [addMonths(M, 3), addMonths(M, 4)];

    const a = await create({ ownerId: 'ana', amount: 1000, currency: 'EUR', closeDate: `${M3}-15` });
    const b = await create({ ownerId: 'ben', amount: 2500.5, currency: 'EUR', closeDate: `${M3}-20`, stage: 'demo' });
    const c = await create({ ownerId: 'ana', amount: 800, currency: 'USD', closeDate: `${M4}-02`, stage: 'proposal', probability: 70 });
    const d = await create({ ownerId: 'ana', amount: 400, currency: 'EUR', closeDate: `${M4}-10` });
    const e = await create({ ownerId: 'ben', amount: 99.99, currency: 'EUR', closeDate: `${M4}-05` });
    expect([a, b, c, d, e].map((o) => o.probability)).toEqual([20, 40, 70, 20, 20]);
    expect((await report(`from=${M3}&to=${M3}`)).months).toEqual([
      { month: M3, currency: 'EUR', count: 2, amount: 3500.5, weightedAmount: 1200.2, won: 0, wonAmount: 0, lost: 0, lostAmount: 0, winRate: null, avgDaysPerStage: {} },
    ]);

    await advance(10 * DAY);
    expect(await patch(a.id, { stage: 'demo' })).toMatchObject({ probability: 40 });
    await advance(5 * DAY);
    const won = await patch(a.id, { stage: 'won' });
    expect(won).toMatchObject({ probability: 100, closeDate: `${M}-16` }); // closed today: counted in the month it was won
    expect((await patch(d.id, { stage: 'lost', lostReason: 'Budget cut' })).closeDate).toBe(`${M}-16`);
    await patch(b.id, { amount: 3000, ownerId: 'ana', closeDate: `${M4}-20` });

    const closedMonth = { month: M, currency: 'EUR', count: 2, amount: 1400, weightedAmount: 1000, won: 1, wonAmount: 1000, lost: 1, lostAmount: 400, winRate: 0.5, avgDaysPerStage: { discovery: 12.5, demo: 5 } };
    const open = (count: number, amount: number, weightedAmount: number, currency = 'EUR') => ({ month: M4, currency, count, amount, weightedAmount, won: 0, wonAmount: 0, lost: 0, lostAmount: 0, winRate: null, avgDaysPerStage: {} });
    const all = await report(`from=${M}&to=${addMonths(M, 5)}`, 'manager');
    expect(all).toEqual({ from: M, to: addMonths(M, 5), owner: null, months: [closedMonth, open(2, 3099.99, 1219.998), open(1, 800, 560, 'USD')] });
    expect((await report(`from=${M}&to=${addMonths(M, 5)}&owner=ana`)).months).toEqual([closedMonth, open(1, 3000, 1200), open(1, 800, 560, 'USD')]);
    expect((await report(`from=${M}&to=${addMonths(M, 5)}&owner=ben`)).months).toEqual([open(1, 99.99, 19.998)]);
    expect((await report(`from=${M}&to=${M}`)).months).toEqual([closedMonth]);
    expect((await report(`from=${addMonths(M, 1)}&to=${M3}&owner=nobody`)).months).toEqual([]);
  });

  it('report: bad months 400 (from after to, more than 24 months, not YYYY-MM); agents 403', async () => {
    for (const query of ['from=2027-05&to=2027-04', 'from=2027-01&to=2029-01', 'from=2027-13', 'to=2027-1', 'owner=a&x=1']) {
      expect((await t.call('GET', `/reports/pipeline?${query}`, { role: 'admin' })).status, query).toBe(400);
    }
    expect((await t.call('GET', '/reports/pipeline?from=2027-01&to=2028-12', { role: 'admin' })).status).toBe(200);
    expect((await t.call('GET', '/reports/pipeline', { role: 'agent' })).status).toBe(403);
  });

  it('a stage that holds open opportunities cannot be removed or renamed (409 stage-in-use); once empty it can', async () => {
    const current = await t.call('GET', '/pipeline/stages', { role: 'agent' });
    const version = current.json.version as number;
    for (const stages of [[stage('discovery', 20), stage('proposal', 60)], [stage('discovery', 20), stage('demo', 40)], [stage('qualify', 20), stage('demo', 40), stage('proposal', 60)]]) {
      const res = await putStages(stages, version);
      expect(res.status, JSON.stringify(stages)).toBe(409);
      expect(res.json.type).toBe('urn:ecrm:problem:stage-in-use');
    }
    const added = await putStages([...STAGES, stage('closing', 90)], version);
    expect(added.status, added.text).toBe(200);
    // Empty discovery: everything still in it moves on.
    const inDiscovery = (await t.call('GET', '/opportunities?stage=discovery&limit=100', { role: 'agent' })).json.items as { id: string }[];
    expect(inDiscovery.length).toBeGreaterThan(0);
    for (const o of inDiscovery) expect((await patch(o.id, { stage: 'closing' })).probability).toBe(90);
    const removed = await putStages([stage('demo', 40), stage('proposal', 60), stage('closing', 90)], version + 1);
    expect(removed.status, removed.text).toBe(200);
    const refused = await t.call('POST', '/opportunities', { role: 'agent', body: { accountId, name: 'X', amount: 1, currency: 'EUR', closeDate: '2030-01-01', stage: 'discovery' } });
    expect(refused.status).toBe(422);
    expect((await create({ amount: 1, currency: 'EUR', closeDate: '2098-01-01' })).stage).toBe('demo');
  });

  it('closingBefore: closeDate before the day (exclusive), soonest first, paged; one filter at a time', async () => {
    const all = (await t.call('GET', '/opportunities?limit=100', { role: 'agent' })).json.items as { id: string; closeDate: string }[];
    const bound = '2098-01-01';
    const expected = all.filter((o) => o.closeDate < bound).sort((x, y) => x.closeDate.localeCompare(y.closeDate) || x.id.localeCompare(y.id)).map((o) => o.id);
    expect(expected.length).toBe(all.length - 2); // the two far-future ones are not before the bound (one is on it: exclusive)
    const seen = await eventually(async () => {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await t.call('GET', `/opportunities?closingBefore=${bound}&limit=2${cursor ? `&cursor=${cursor}` : ''}`, { role: 'agent' });
        expect(res.status, res.text).toBe(200);
        expect(res.json.items.length).toBeLessThanOrEqual(2);
        ids.push(...res.json.items.map((o: { id: string }) => o.id));
        cursor = res.json.nextCursor;
      } while (cursor);
      return ids.length === expected.length ? ids : undefined;
    });
    expect(seen).toEqual(expected);
    expect((await t.call('GET', '/opportunities?closingBefore=2000-01-01', { role: 'agent' })).json).toEqual({ items: [], nextCursor: null });
    expect((await t.call('GET', '/opportunities?closingBefore=2098-01-01&stage=demo', { role: 'agent' })).status).toBe(400);
    expect((await t.call('GET', '/opportunities?closingBefore=01/01/2098', { role: 'agent' })).status).toBe(400);
  });
});
