import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nearestCluster } from '../../domain/analytics/clusters.ts';
import { segmentOne, segmentPopulation } from '../../domain/analytics/customer-segments.ts';
import { summarisePurchases } from '../../domain/analytics/purchase-history.ts';
import { CHANNELS } from '../../domain/customers/interaction.schema.ts';
import { readCdnow } from '../support/cdnow.ts';
import { ingestCdnow } from '../support/cdnow-ingestion.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

// RFM, clusters and the segment score fields through the real local runtime: a fit over a small
// CDNOW population (some customers also reached by email, so the interaction mix varies), the
// scores' rfm and cluster, GET /analytics/clusters, a later purchase refreshing one customer
// against the fit's boundaries and centroids, and segment previews and a snapshot on scores.*.

let t: TestRuntime;
const ASOF = '1997-09-30';
const wanted = new Set([...new Set(readCdnow().map((l) => l.customerId))].slice(0, 120));
const lines = readCdnow().filter((l) => wanted.has(l.customerId));
let ids: Map<string, string>;
const marketer = { role: 'marketer' as const };

beforeAll(async () => {
  t = await startTestRuntime({ analyticsCurrency: 'USD' });
});
afterAll(async () => {
  await t?.runtime.stop();
});

/** A call as a client makes it: a 503 (a dependency timed out on this loaded machine) is sent again after its Retry-After, at most 5 times. */
async function call(...args: Parameters<TestRuntime['call']>): ReturnType<TestRuntime['call']> {
  for (let attempt = 1; ; attempt++) {
    const res = await t.call(...args);
    if (res.status !== 503 || attempt === 5) return res;
    await new Promise((r) => setTimeout(r, 1000 * Number(res.headers.get('retry-after') ?? 1)));
  }
}

async function preview(rule: unknown): Promise<{ status: number; count?: number; first?: string; text: string }> {
  const name = `s-${JSON.stringify(rule).length}-${Math.random()}`;
  const created = await call('POST', '/segments', { ...marketer, body: { name, rule }, headers: { 'idempotency-key': name } });
  if (created.status !== 201) return { status: created.status, text: created.text };
  const res = await call('GET', `/segments/${created.json.id}/preview?limit=1`, marketer);
  expect(res.status, res.text).toBe(200);
  return { status: 201, count: res.json.count, first: res.json.sample[0]?.id, text: res.text };
}

type Scores = { customerId: string; churnRisk: number; pAlive: number; rfm: { r: number; f: number; m: number; score: string; label: string }; cluster: number | null; asOf: string };

describe('RFM, clusters and segments on scores', () => {
  it('scores, clusters, refreshes and selects customers on their scores', async () => {
    expect((await call('GET', '/analytics/clusters', marketer)).json.type).toBe('urn:ecrm:problem:model-not-fitted');
    expect((await call('GET', '/analytics/clusters', { role: 'agent' })).status).toBe(403);

    ids = await ingestCdnow(t, lines);
    // Every third customer was also reached by email twice: their interaction mix differs.
    const emailed = [...ids.values()].filter((_, i) => i % 3 === 0);
    for (let i = 0; i < emailed.length; i += 25) {
      const items = emailed.slice(i, i + 25).flatMap((customerId) => [0, 1].map((n) => ({ customerId, channel: 'email', type: 'newsletter_click', occurredAt: `1997-0${n + 3}-01T10:00:00Z` })));
      for (let j = 0; j < items.length; j += 25) expect((await call('POST', '/interactions', { role: 'admin', body: { items: items.slice(j, j + 25) }, headers: { 'idempotency-key': `emailed-${i}-${j}` } })).status).toBe(200);
    }
    const newcomer = (await call('POST', '/customers', { body: { email: 'no-purchase@shop.test' }, headers: { 'idempotency-key': 'newcomer' } })).json.id as string;
    await t.runtime.idle();

    const fit = await t.call('POST', '/analytics/models/clv/fit', { role: 'manager', body: { asOf: ASOF, periodUnit: 'week' } });
    expect(fit.status, fit.text).toBe(202);
    const job = await eventually(async () => {
      const res = await call('GET', `/analytics/jobs/${fit.json.jobId}`, { role: 'manager' });
      return res.json.status === 'succeeded' || res.json.status === 'failed' ? res.json : undefined;
    }, 60_000);
    expect(job).toMatchObject({ status: 'succeeded', counts: { customers: 120, scoresWritten: 120 } });

    // Every buyer's scores carry RFM and a cluster; RFM is the population's ranking (the same
    // purchases ranked here by the domain alone: rank-based, so the order read does not matter).
    const calibration = summarisePurchases(lines.filter((l) => l.date <= ASOF), ASOF, 'week');
    const ranked = segmentPopulation(calibration, new Map(), { asOf: ASOF, jobId: 'x', fittedAt: 'x' });
    const scores = new Map<string, Scores>();
    const cdnowIds = [...ids.keys()];
    for (let i = 0; i < cdnowIds.length; i += 8) {
      const answers = await Promise.all(cdnowIds.slice(i, i + 8).map((cdnowId) => call('GET', `/customers/${ids.get(cdnowId)}/scores`, marketer)));
      answers.forEach((res, j) => {
        expect(res.status, res.text).toBe(200);
        expect(res.json.rfm).toEqual(ranked.segmentOf(cdnowIds[i + j]!).rfm);
        expect(res.json.cluster).toEqual(expect.any(Number));
        scores.set(cdnowIds[i + j]!, res.json);
      });
    }

    const clusters = await call('GET', '/analytics/clusters', marketer);
    expect(clusters.status, clusters.text).toBe(200);
    const view = clusters.json as { k: number; asOf: string; jobId: string; features: { name: string; mean: number; deviation: number }[]; clusters: { id: number; size: number; centroid: { recencyDays: number; transactions: number; monetary: number; mix: Record<string, number> } }[] };
    expect(view).toMatchObject({ asOf: ASOF, jobId: fit.json.jobId });
    expect(view.k).toBeGreaterThanOrEqual(2);
    expect(view.k).toBeLessThanOrEqual(8);
    expect(view.clusters.reduce((sum, c) => sum + c.size, 0)).toBe(120);
    expect(view.features.map((f) => f.name)).toEqual(['recencyDays', 'transactions', 'monetary', ...CHANNELS.map((c) => `mix.${c}`)]);
    expect(view.features.find((f) => f.name === 'mix.email')!.deviation).toBeGreaterThan(0);
    for (const c of view.clusters) expect([...scores.values()].filter((s) => s.cluster === c.id)).toHaveLength(c.size);
    const asFitted = { means: view.features.map((f) => f.mean), deviations: view.features.map((f) => f.deviation), clusters: view.clusters.map((c) => ({ id: c.id, centroid: [c.centroid.recencyDays, c.centroid.transactions, c.centroid.monetary, ...CHANNELS.map((ch) => c.centroid.mix[ch]!)] })) };

    // Segments on scores: previews count exactly the customers whose scores match; a customer
    // without scores matches no comparison, only exists: false.
    const label = 'hibernating';
    expect((await preview({ field: 'scores.rfm.label', op: 'eq', value: label })).count).toBe([...scores.values()].filter((s) => s.rfm.label === label).length);
    expect((await preview({ field: 'scores.rfm.label', op: 'in', value: ['champions', 'loyal'] })).count).toBe([...scores.values()].filter((s) => ['champions', 'loyal'].includes(s.rfm.label)).length);
    const risky = [...scores.values()].filter((s) => s.churnRisk > 0.5).length;
    expect(risky).toBeGreaterThan(0);
    expect(risky).toBeLessThan(120);
    expect((await preview({ field: 'scores.churnRisk', op: 'gt', value: 0.5 })).count).toBe(risky);
    expect((await preview({ field: 'scores.churnRisk', op: 'ne', value: 2 })).count).toBe(120);
    expect(await preview({ field: 'scores.pAlive', op: 'exists', value: false })).toMatchObject({ count: 1, first: newcomer });
    expect((await preview({ all: [{ field: 'scores.cluster', op: 'eq', value: 0 }, { field: 'scores.clv.months12', op: 'gte', value: 0 }] })).count).toBe(view.clusters[0]!.size);

    // The durable scan selects the same customers as the preview.
    const segment = await call('POST', '/segments', { ...marketer, body: { name: 'at risk', rule: { field: 'scores.churnRisk', op: 'gt', value: 0.5 } }, headers: { 'idempotency-key': 'at-risk' } });
    const snapshot = await call('POST', `/segments/${segment.json.id}/snapshots`, { ...marketer, headers: { 'idempotency-key': 'at-risk-snapshot' } });
    expect(snapshot.status, snapshot.text).toBe(202);
    await t.runtime.idle();
    const ready = await eventually(async () => {
      const res = await call('GET', `/segments/${segment.json.id}/snapshots/${snapshot.json.id}`, marketer);
      return res.json.status === 'ready' ? res.json : undefined;
    }, 60_000);
    expect(ready.count).toBe(risky);

    // Bad values are 400s naming them, and nothing is created.
    for (const [rule, named] of [
      [{ field: 'scores.rfm.label', op: 'eq', value: 'vip' }, 'not "vip"'],
      [{ field: 'scores.rfm.label', op: 'in', value: ['loyal', 'gold'] }, 'not "gold"'],
      [{ field: 'scores.cluster', op: 'eq', value: 1.5 }, 'not 1.5'],
      [{ field: 'scores.cluster', op: 'gt', value: 1 }, 'gt'],
      [{ field: 'scores.churnRisk', op: 'gt', value: 'high' }, 'number'],
    ] as const) {
      const res = await preview(rule);
      expect(res.status, res.text).toBe(400);
      expect(JSON.stringify(JSON.parse(res.text).errors.map((e: { message: string }) => e.message))).toContain(JSON.stringify(named).slice(1, -1));
    }
    expect((await call('GET', '/segments?limit=100', marketer)).json.items).toHaveLength(7); // the six previews' and the snapshot's: no bad rule was kept

    // A later purchase by a hibernating customer: RFM against the fit's boundaries (bought after
    // asOf: the most recent there is), the cluster the nearest centroid in the fit's scale.
    const [sleeper] = [...scores].find(([, s]) => s.rfm.label === 'hibernating')!;
    const customerId = ids.get(sleeper)!;
    const bought = await call('POST', `/customers/${customerId}/interactions`, { body: { channel: 'store', type: 'purchase', occurredAt: '1997-10-05T09:00:00Z', data: { amount: 25, currency: 'USD' } }, headers: { 'idempotency-key': 'later-purchase' } });
    expect(bought.status, bought.text).toBe(201);
    await t.runtime.idle();
    const refreshed: Scores = await eventually(async () => {
      const s = await call('GET', `/customers/${customerId}/scores`, marketer);
      return s.json.asOf > ASOF ? s.json : undefined;
    }, 60_000);
    const history = summarisePurchases([...lines.filter((l) => l.customerId === sleeper), { customerId: sleeper, date: '1997-10-05', amount: 25 }], refreshed.asOf, 'week')[0]!;
    const stats = (await call('GET', `/customers/${customerId}`)).json.stats as { byChannel: Record<string, number> };
    const expected = segmentOne(ranked.segmentation, history, stats.byChannel);
    expect(refreshed.rfm).toEqual(expected.rfm);
    expect(refreshed.rfm.r).toBe(5);
    const days = (a: string, b: string) => (Date.parse(a) - Date.parse(b)) / 86_400_000;
    const mixTotal = Object.values(stats.byChannel).reduce((a, b) => a + b, 0);
    const features = [days(ASOF, history.lastPurchase), history.transactions, history.totalSpend, ...CHANNELS.map((c) => (stats.byChannel[c] ?? 0) / mixTotal)];
    expect(refreshed.cluster).toBe(nearestCluster(asFitted, features));
    expect((await preview({ field: 'scores.rfm.label', op: 'eq', value: label })).count).toBe([...scores.values()].filter((s) => s.rfm.label === label).length - (refreshed.rfm.label === label ? 0 : 1));
  }, 240_000);
});
