import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitBgNbd } from '../../domain/analytics/bg-nbd.ts';
import { summarisePurchases } from '../../domain/analytics/purchase-history.ts';
import { readCdnow } from '../support/cdnow.ts';
import { ingestCdnow } from '../support/cdnow-ingestion.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

// The customer value routes through the real local runtime: purchases as interactions, the fit as
// a job (202, the event through the outbox and the bus to the worker), the model, the scores, and
// their refresh after a later purchase.

let t: TestRuntime;
const main = () => t;
beforeAll(async () => {
  // CDNOW is in dollars: the models' currency here is USD.
  t = await startTestRuntime({ analyticsCurrency: 'USD' });
});
afterAll(async () => {
  await t?.runtime.stop();
});

async function customerWith(email: string, purchases: [day: string, amount: number][], t = main()): Promise<string> {
  const created = await t.call('POST', '/customers', { body: { email } });
  expect(created.status, created.text).toBe(201);
  const id = created.json.id as string;
  for (const [day, amount] of purchases) {
    const res = await t.call('POST', `/customers/${id}/interactions`, { body: { channel: 'store', type: 'purchase', occurredAt: `${day}T12:00:00Z`, data: { amount } } });
    expect(res.status, res.text).toBe(201);
  }
  return id;
}

const finished = (jobId: string, t = main()) =>
  eventually(async () => {
    const res = await t.call('GET', `/analytics/jobs/${jobId}`, { role: 'manager' });
    expect(res.status, res.text).toBe(200);
    return res.json.status === 'succeeded' || res.json.status === 'failed' ? res.json : undefined;
  }, 30_000);

describe('customer value models over HTTP', () => {
  it('answers 404 before any fit, refuses bad input and roles without the right', async () => {
    const model = await t.call('GET', '/analytics/models/clv', { role: 'admin' });
    expect(model.status).toBe(404);
    expect(model.json.type).toBe('urn:ecrm:problem:model-not-fitted');
    expect((await t.call('GET', '/analytics/jobs/nope', { role: 'admin' })).status).toBe(404);
    expect((await t.call('POST', '/analytics/models/clv/fit', { role: 'manager', body: { periodUnit: 'month' } })).status).toBe(400);
    expect((await t.call('POST', '/analytics/models/clv/fit', { role: 'manager', body: { periodUnit: 'day', asOf: '2026-02-30' } })).status).toBe(400);
    expect((await t.call('POST', '/analytics/models/clv/fit', { role: 'manager', body: { periodUnit: 'day', asOf: '2999-01-01' } })).status).toBe(400);
    expect((await t.call('POST', '/analytics/models/clv/fit', { role: 'agent', body: { periodUnit: 'day' } })).status).toBe(403);
    expect((await t.call('GET', '/analytics/models/clv', { role: 'marketer' })).status).toBe(403);
    await t.runtime.idle();
    const events = (await t.call('GET', '/_local/events?limit=500', { role: null })).json.items as { detailType: string }[];
    expect(events.filter((e) => e.detailType === 'AnalyticsJobRequested')).toEqual([]);
  });

  it('fails a fit that reaches no finite model, with the reason on the job, and keeps no model', async () => {
    // A runtime of its own (in euros, the default): its four customers stay out of the CDNOW fit.
    const own = await startTestRuntime();
    try {
      const histories: [string, number][][] = [[['2026-01-05', 20], ['2026-02-10', 30], ['2026-05-02', 25]], [['2026-01-20', 15]], [['2026-02-01', 60], ['2026-03-15', 40]], [['2026-04-11', 60]]];
      const ids: string[] = [];
      for (const [i, history] of histories.entries()) ids.push(await customerWith(`few-${i}@shop.test`, history, own));
      await own.runtime.idle();
      const fit = await own.call('POST', '/analytics/models/clv/fit', { role: 'admin', body: { asOf: '2026-06-30', periodUnit: 'day' } });
      expect(fit.status, fit.text).toBe(202);
      const job = await finished(fit.json.jobId, own);
      expect(job).toMatchObject({ status: 'failed', error: expect.stringContaining('no finite figures'), counts: { purchases: 7, customers: 4, scoresWritten: 0 } });
      expect((await own.call('GET', '/analytics/models/clv', { role: 'admin' })).status).toBe(404);
      expect((await own.call('GET', `/customers/${ids[0]}/scores`)).json.type).toBe('urn:ecrm:problem:model-not-fitted');
    } finally {
      await own.runtime.stop();
    }
  });

  it('fits as a job, serves the model and every buyer scores, refreshes a buyer after a purchase', async () => {
    // The first 150 customers of the CDNOW sample.
    const wanted = new Set([...new Set(readCdnow().map((l) => l.customerId))].slice(0, 150));
    const lines = readCdnow().filter((l) => wanted.has(l.customerId));
    const ids = await ingestCdnow(t, lines);
    await t.runtime.idle();

    const fit = await t.call('POST', '/analytics/models/clv/fit', { role: 'manager', body: { asOf: '1997-09-30', periodUnit: 'week' } });
    expect(fit.status, fit.text).toBe(202);
    expect(fit.json).toEqual({ jobId: expect.any(String), status: 'queued' });
    expect(fit.headers.get('location')).toBe(`/analytics/jobs/${fit.json.jobId}`);
    const job = await finished(fit.json.jobId);
    const calibration = lines.filter((l) => l.date <= '1997-09-30');
    expect(job).toMatchObject({ status: 'succeeded', asOf: '1997-09-30', periodUnit: 'week', error: null, counts: { purchases: calibration.length, customers: 150, scoresWritten: 150, otherCurrency: 0 } });

    const model = await t.call('GET', '/analytics/models/clv', { role: 'admin' });
    expect(model.status, model.text).toBe(200);
    expect(model.json).toMatchObject({ asOf: '1997-09-30', periodUnit: 'week', customers: 150, currency: 'USD', jobId: fit.json.jobId });
    // The same purchases through the domain alone give the same parameters: nothing lost or doubled on the way.
    const direct = fitBgNbd(summarisePurchases(calibration, '1997-09-30', 'week')).parameters;
    for (const name of ['r', 'alpha', 'a', 'b'] as const) expect(model.json.bgnbd[name] / direct[name]).toBeCloseTo(1, 4);

    const first = ids.get('cdnow-0001')!;
    const scores = await t.call('GET', `/customers/${first}/scores`, { role: 'marketer' });
    expect(scores.status, scores.text).toBe(200);
    // CDNOW customer 1: 1997-01-01, 01-18 and 08-02: two repeat transactions, 29.73 and 14.96 repeat values.
    expect(scores.json).toMatchObject({ frequency: 2, recency: 30.4286, T: 38.8571, asOf: '1997-09-30', currency: 'USD', periodUnit: 'week' });
    expect(scores.json.monetary).toBeCloseTo(22.345, 1);
    expect(scores.json.pAlive + scores.json.churnRisk).toBeCloseTo(1, 4);

    const newcomer = await customerWith('clv-new@shop.test', []);
    const none = await t.call('GET', `/customers/${newcomer}/scores`);
    expect(none.status).toBe(404);
    expect(none.json.type).toBe('urn:ecrm:problem:not-found');

    // A later purchase: the feed refreshes that customer from the model (counted to today).
    const res = await t.call('POST', `/customers/${first}/interactions`, { body: { channel: 'web', type: 'purchase', occurredAt: '1997-10-05T09:00:00Z', data: { items: [{ sku: 'CD', unitPrice: 10, quantity: 3 }], currency: 'USD' } } });
    expect(res.status, res.text).toBe(201);
    // Counted to today, so its holdout purchases (loaded above) count too.
    const days = new Set([...lines.filter((l) => l.customerId === 'cdnow-0001').map((l) => l.date), '1997-10-05']);
    const refreshed = await eventually(async () => {
      const s = await t.call('GET', `/customers/${first}/scores`);
      return s.json.asOf > '1997-09-30' ? s.json : undefined;
    });
    expect(refreshed.frequency).toBe(days.size - 1);
    expect(refreshed.pAlive).toBeLessThan(scores.json.pAlive); // decades without a purchase since
  }, 120_000);
});
