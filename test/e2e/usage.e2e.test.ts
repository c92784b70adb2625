import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

// GET /usage on the real local runtime: the units come from the metering lines the handlers
// write (the runtime's metrics sink), measured against DynamoDB Local with the same requests.

let t: TestRuntime;
const today = () => new Date().toISOString().slice(0, 10);
const dayAfter = (day: string, days: number) => new Date(Date.parse(day) + days * 86_400_000).toISOString().slice(0, 10);

interface Units {
  readUnits: number;
  writeUnits: number;
  invocations: number;
  apiRequests: number;
  gbSeconds: number;
}
interface Report {
  days: { day: string; context: string; units: Units; cost: { total: number; dynamoDb: number } }[];
  total: { units: Units; cost: { total: number } };
  prices: { asOf: string };
}

beforeAll(async () => {
  t = await startTestRuntime();
});
afterAll(async () => {
  await t?.runtime.stop();
});

describe('GET /usage', () => {
  it('gives an admin the units each context consumed today, measured, and their cost', async () => {
    const created = await t.call('POST', '/customers', { body: { email: `usage-${Date.now()}@example.com` } });
    expect(created.status).toBe(201);
    for (let i = 0; i < 3; i++) expect((await t.call('GET', `/customers/${created.json.id}`)).status).toBe(200);

    const from = dayAfter(today(), -1);
    const to = dayAfter(today(), 1);
    const answer = await t.call('GET', `/usage?from=${from}&to=${to}`, { role: 'admin' });
    expect(answer.status).toBe(200);
    const report = answer.json as Report;
    const customers = report.days.filter((d) => d.context === 'customers');
    const units = customers.reduce((sum, d) => ({ ...sum, readUnits: sum.readUnits + d.units.readUnits, writeUnits: sum.writeUnits + d.units.writeUnits, apiRequests: sum.apiRequests + d.units.apiRequests }), { readUnits: 0, writeUnits: 0, apiRequests: 0 });
    expect(units.apiRequests).toBe(4);
    // DynamoDB Local reports what each call consumed: the create writes, the reads read.
    expect(units.writeUnits).toBeGreaterThan(0);
    expect(units.readUnits).toBeGreaterThan(0);
    expect(customers.every((d) => d.units.gbSeconds > 0 && d.cost.total > 0 && d.cost.dynamoDb > 0)).toBe(true);
    expect(report.total.cost.total).toBeGreaterThan(0);
    expect(report.prices.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('counts only the days asked for', async () => {
    const answer = await t.call('GET', `/usage?from=2020-01-01&to=2020-01-31`, { role: 'admin' });
    expect(answer.status).toBe(200);
    expect((answer.json as Report).days).toEqual([]);
    expect((answer.json as Report).total.cost.total).toBe(0);
  });

  it('is for admins only', async () => {
    for (const role of ['manager', 'agent', 'marketer'] as const) {
      expect((await t.call('GET', `/usage?from=${today()}&to=${today()}`, { role })).status).toBe(403);
    }
  });

  it('answers 400 to a missing or malformed day, from after to, and more than 92 days', async () => {
    const bad = [`/usage?from=${today()}`, '/usage?from=2026-13-01&to=2026-12-31', '/usage?from=2026-02-02&to=2026-02-01', '/usage?from=2026-01-01&to=2026-04-03', `/usage?from=${today()}&to=${today()}&extra=1`];
    for (const path of bad) {
      const answer = await t.call('GET', path, { role: 'admin' });
      expect(answer.status, path).toBe(400);
      expect(answer.headers.get('content-type'), path).toBe('application/problem+json');
      expect(answer.json.code ?? answer.json.type, path).toMatch(/validation/);
    }
  });
});
