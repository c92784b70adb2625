import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCdnow } from '../support/cdnow.ts';
import { ingestCdnow } from '../support/cdnow-ingestion.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

// Issue 13 as a whole, through the public API of one local runtime: a shop's purchases arrive as
// interactions (80 customers of the CDNOW sample, with their dates and dollar values) and as a won
// B2B deal shared by its account's two contacts; the warehouse cube sums the same revenue; a fit
// scores every buyer with value, RFM and a cluster; marketers segment on those scores; the case
// forecast says when a queue has too little history; and an erased customer leaves the next fit
// and keeps no scores.

let t: TestRuntime;
const MANAGER = { role: 'manager' as const };
const wanted = new Set([...new Set(readCdnow().map((l) => l.customerId))].slice(0, 80));
const lines = readCdnow().filter((l) => wanted.has(l.customerId));
const calibration = lines.filter((l) => l.date <= '1997-09-30');
let ids: Map<string, string>;
let contacts: string[];

beforeAll(async () => {
  t = await startTestRuntime({ analyticsCurrency: 'USD', erasureGraceDays: 0 });
  ids = await ingestCdnow(t, lines);
  contacts = [ids.get('cdnow-0003')!, ids.get('cdnow-0002')!];
  const account = await t.call('POST', '/accounts', { body: { name: 'Record Shop Ltd' } });
  expect(account.status, account.text).toBe(201);
  for (const customerId of contacts) {
    expect((await t.call('PUT', `/accounts/${account.json.id}/contacts/${customerId}`, { body: { role: 'buyer' } })).status).toBe(200);
  }
  const deal = await t.call('POST', '/opportunities', { body: { accountId: account.json.id, name: 'Bulk order', amount: 100, currency: 'USD', closeDate: '1997-06-15' } });
  expect(deal.status, deal.text).toBe(201);
  // Won without a closeDate would close it today (the sales rule); the shop enters it after the fact.
  const won = await t.call('PATCH', `/opportunities/${deal.json.id}`, { body: { stage: 'won', closeDate: '1997-06-15' }, headers: { 'content-type': 'application/merge-patch+json' } });
  expect(won.status, won.text).toBe(200);
  await t.runtime.idle();
}, 600_000);
afterAll(async () => {
  await t?.runtime.stop();
});

async function fit() {
  const requested = await t.call('POST', '/analytics/models/clv/fit', { ...MANAGER, body: { asOf: '1997-09-30', periodUnit: 'week' } });
  expect(requested.status, requested.text).toBe(202);
  return eventually(async () => {
    const job = (await t.call('GET', `/analytics/jobs/${requested.json.jobId}`, MANAGER)).json;
    return job.status === 'succeeded' || job.status === 'failed' ? job : undefined;
  }, 120_000);
}

const cents = (n: number) => Math.round(n * 100);

describe('analytics from purchases to segments', () => {
  it("sums the shop's 1997 revenue in the warehouse cube as the purchases say", async () => {
    const in1997 = lines.filter((l) => l.date.startsWith('1997'));
    const res = await t.call('GET', '/reports/cube?measure=revenue&from=1997-01-01&to=1997-12-31', MANAGER);
    expect(res.status, res.text).toBe(200);
    expect(res.json.engine).toBe('duckdb');
    const rows = res.json.rows as { month: string; currency: string; purchases: number; revenue: number }[];
    expect(rows.every((r) => r.currency === 'USD')).toBe(true);
    expect(rows.reduce((sum, r) => sum + r.purchases, 0)).toBe(in1997.length);
    expect(cents(rows.reduce((sum, r) => sum + r.revenue, 0))).toBe(cents(in1997.reduce((sum, l) => sum + l.amount, 0)));
  });

  it('fits over the interactions and the won deal, and scores every buyer with value, RFM and a cluster', async () => {
    const job = await fit();
    // The deal is two purchases: half of it for each contact, on its close date.
    expect(job).toMatchObject({ status: 'succeeded', counts: { purchases: calibration.length + 2, customers: 80, scoresWritten: 80, otherCurrency: 0 } });

    const clusters = await t.call('GET', '/analytics/clusters', { role: 'marketer' });
    expect(clusters.status, clusters.text).toBe(200);
    expect((clusters.json.clusters as { size: number }[]).reduce((sum, c) => sum + c.size, 0)).toBe(80);

    const all = new Map<string, { rfm: { label: string }; cluster: number | null; pAlive: number; churnRisk: number; monetary: number; frequency: number }>();
    for (const id of ids.values()) {
      const res = await t.call('GET', `/customers/${id}/scores`, { role: 'marketer' });
      expect(res.status, res.text).toBe(200);
      all.set(id, res.json);
    }
    for (const s of all.values()) {
      expect(s.pAlive + s.churnRisk).toBeCloseTo(1, 6);
      expect(clusters.json.clusters.map((c: { id: number }) => c.id)).toContain(s.cluster);
    }
    // CDNOW customer 3 bought once (1997-01-01, 6.79 dollars): the deal's share on 1997-06-15 is
    // its first repeat transaction, worth 50 dollars.
    expect(all.get(contacts[0]!)).toMatchObject({ frequency: 1, monetary: 50 });

    // Marketers segment on the scores: the preview counts exactly the customers whose scores match.
    const label = all.get(contacts[0]!)!.rfm.label;
    const segment = await t.call('POST', '/segments', { role: 'marketer', body: { name: 'Same RFM as a B2B buyer', rule: { all: [{ field: 'scores.rfm.label', op: 'eq', value: label }, { field: 'scores.churnRisk', op: 'lt', value: 0.9 }] } } });
    expect(segment.status, segment.text).toBe(201);
    const preview = await t.call('GET', `/segments/${segment.json.id}/preview?limit=1`, { role: 'marketer' });
    expect(preview.status, preview.text).toBe(200);
    expect(preview.json.count).toBe([...all.values()].filter((s) => s.rfm.label === label && s.churnRisk < 0.9).length);
    expect(preview.json.count).toBeGreaterThan(0);
  });

  it('forecasts no case volume for a queue without three weeks of history (422)', async () => {
    const res = await t.call('GET', '/analytics/forecasts/cases?queue=general&days=14', MANAGER);
    expect(res.status).toBe(422);
    expect(res.json.type).toBe('urn:ecrm:problem:not-enough-history');
  });

  it('leaves an erased customer out of the next fit, with no scores left', async () => {
    const gone = contacts[1]!;
    const profile = await t.call('GET', `/customers/${gone}`);
    expect((await t.call('DELETE', `/customers/${gone}`, { role: 'admin', headers: { 'if-match': `"${profile.json.version}"` } })).status).toBe(204);
    await t.runtime.idle();
    const job = await fit();
    expect(job).toMatchObject({ status: 'succeeded', counts: { customers: 79, scoresWritten: 79 } });
    expect((await t.call('GET', `/customers/${gone}/scores`)).status).toBe(404);
    const clusters = (await t.call('GET', '/analytics/clusters', MANAGER)).json as { clusters: { size: number }[] };
    expect(clusters.clusters.reduce((sum, c) => sum + c.size, 0)).toBe(79);
  });
});
