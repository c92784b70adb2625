import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

// The cube end to end: customers, interactions, cases, consents, an opportunity and a campaign
// made through the API reach the warehouse through the table stream and the export's Parquet
// writer, and GET /reports/cube answers every measure from those files with DuckDB. The rows are
// checked against what was created (counts, sums, per dimension); bad input is a 400 that names it.

let t: TestRuntime;
const MANAGER = { role: 'manager' as const };
const ADMIN = { role: 'admin' as const };
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
let now: number;
let from: string;
let to: string;
const created = { customers: [] as string[], cases: [] as string[], campaign: '', opportunity: { stage: '', amount: 0 } };
let purchaseDay: string;
let visitDay: string;

const cube = (query: Record<string, string>) => t.call('GET', `/reports/cube?${new URLSearchParams(query).toString()}`, MANAGER);
async function rows(query: Record<string, string>) {
  const answer = await cube({ from, to, ...query });
  expect(answer.status, answer.text).toBe(200);
  expect(answer.json.engine).toBe('duckdb');
  return answer.json.rows as Record<string, unknown>[];
}

async function customer(email: string, consent: boolean) {
  const res = await t.call('POST', '/customers', { body: { email, attributes: { tier: 'cube' } } });
  expect(res.status, res.text).toBe(201);
  const id = res.json.id as string;
  if (consent) {
    const granted = await t.call('POST', `/customers/${id}/consents`, { ...ADMIN, body: { topic: 'news', action: 'grant', legalBasis: 'consent', proof: 'signup-form' } });
    expect(granted.status, granted.text).toBe(200);
  }
  created.customers.push(id);
  return id;
}
async function interaction(customerId: string, body: Record<string, unknown>) {
  const res = await t.call('POST', `/customers/${customerId}/interactions`, { body });
  expect(res.status, res.text).toBe(201);
}
async function openCase(customerId: string, queue: string, priority: string) {
  const res = await t.call('POST', '/cases', { body: { customerId, subject: 'Where is it', channel: 'email', priority, queue } });
  expect(res.status, res.text).toBe(201);
  created.cases.push(res.json.id);
  return res.json.id as string;
}

beforeAll(async () => {
  t = await startTestRuntime();
  now = t.runtime.clock.now().getTime();
  visitDay = day(now - 2 * 86_400_000);
  purchaseDay = day(now - 86_400_000);
  expect((await t.call('PUT', '/topics', { ...ADMIN, body: [{ id: 'news', name: 'News', purpose: 'marketing' }] })).status).toBe(200);

  const ada = await customer('ada.cube@example.com', true);
  const bob = await customer('bob.cube@example.com', true);
  const cy = await customer('cy.cube@example.com', false);

  await interaction(ada, { channel: 'web', type: 'visit', occurredAt: `${visitDay}T09:00:00.000Z` });
  await interaction(ada, { channel: 'phone', type: 'call', direction: 'inbound', occurredAt: `${visitDay}T10:00:00.000Z` });
  await interaction(bob, { channel: 'web', type: 'visit', occurredAt: `${visitDay}T11:00:00.000Z` });
  await interaction(ada, { channel: 'store', type: 'purchase', occurredAt: `${purchaseDay}T10:00:00.000Z`, data: { items: [{ sku: 'LAMP-1', unitPrice: 19.5, quantity: 2 }], currency: 'EUR' } });
  await interaction(bob, { channel: 'web', type: 'purchase', occurredAt: `${purchaseDay}T12:00:00.000Z`, data: { amount: 10.25, currency: 'EUR' } });
  await interaction(cy, { channel: 'web', type: 'purchase', occurredAt: `${purchaseDay}T13:00:00.000Z`, value: { amount: 5, currency: 'USD' } });

  const solved = await openCase(ada, 'support', 'high');
  await openCase(bob, 'support', 'low');
  await openCase(cy, 'billing', 'high');
  expect((await t.call('PATCH', `/cases/${solved}`, { body: { status: 'solved' } })).status).toBe(200);

  const account = await t.call('POST', '/accounts', { body: { name: 'Cube Corp' } });
  expect(account.status, account.text).toBe(201);
  const deal = await t.call('POST', '/opportunities', { body: { accountId: account.json.id, name: 'Cube deal', amount: 12000, currency: 'EUR', closeDate: '2027-03-31' } });
  expect(deal.status, deal.text).toBe(201);
  created.opportunity = { stage: deal.json.stage, amount: deal.json.amount };

  const segment = await t.call('POST', '/segments', { role: 'marketer', body: { name: 'Cube', rule: { field: 'attributes.tier', op: 'eq', value: 'cube' } } });
  expect(segment.status, segment.text).toBe(201);
  const campaign = await t.call('POST', '/campaigns', {
    role: 'marketer',
    body: { name: 'Cube news', topic: 'news', template: { subject: 'News', text: 'Hello' }, audience: { segmentId: segment.json.id }, schedule: { at: new Date(now + 60_000).toISOString() } },
  });
  expect(campaign.status, campaign.text).toBe(201);
  created.campaign = campaign.json.id;
  expect((await t.call('POST', `/campaigns/${created.campaign}/schedule`, { role: 'marketer' })).status).toBe(200);
  const advanced = await fetch(`${t.runtime.url}/_local/clock/advance`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ seconds: 120 }) });
  expect(advanced.status).toBe(200);
  await eventually(async () => ((await t.call('GET', `/campaigns/${created.campaign}`, { role: 'marketer' })).json.status === 'completed' ? true : undefined), 60_000);
  await t.runtime.idle();

  from = day(now - 7 * 86_400_000);
  to = day(t.runtime.clock.now().getTime() + 86_400_000);
}, 120_000);
afterAll(async () => {
  await t?.runtime.stop();
});

describe('GET /reports/cube over the local warehouse (DuckDB)', () => {
  it('counts interactions by day and channel, and by type within a filter', async () => {
    expect(await rows({ measure: 'interactions' })).toEqual([
      { day: visitDay, channel: 'phone', interactions: 1 },
      { day: visitDay, channel: 'web', interactions: 2 },
      { day: purchaseDay, channel: 'store', interactions: 1 },
      { day: purchaseDay, channel: 'web', interactions: 2 },
    ]);
    expect(await rows({ measure: 'interactions', by: 'type,direction', filter: `day:${visitDay}` })).toEqual([
      { type: 'call', direction: 'inbound', interactions: 1 },
      { type: 'visit', direction: null, interactions: 2 },
    ]);
    expect(await rows({ measure: 'interactions', by: 'channel', from: purchaseDay, to: purchaseDay })).toEqual([
      { channel: 'store', interactions: 1 },
      { channel: 'web', interactions: 2 },
    ]);
  });

  it('sums revenue per month and currency, and by channel', async () => {
    const month = purchaseDay.slice(0, 7);
    expect(await rows({ measure: 'revenue' })).toEqual([
      { month, currency: 'EUR', purchases: 2, revenue: 49.25 },
      { month, currency: 'USD', purchases: 1, revenue: 5 },
    ]);
    expect(await rows({ measure: 'revenue', by: 'channel', filter: 'currency:EUR' })).toEqual([
      { channel: 'store', currency: 'EUR', purchases: 1, revenue: 39 },
      { channel: 'web', currency: 'EUR', purchases: 1, revenue: 10.25 },
    ]);
  });

  it('counts cases by queue and priority with those solved and those within SLA, as the cases API reports them', async () => {
    const cases = await Promise.all(created.cases.map(async (id) => (await t.call('GET', `/cases/${id}`)).json));
    const expected = new Map<string, { queue: string; priority: string; cases: number; solved: number; slaMet: number }>();
    for (const c of cases) {
      const key = `${c.queue}|${c.priority}`;
      const row = expected.get(key) ?? { queue: c.queue, priority: c.priority, cases: 0, solved: 0, slaMet: 0 };
      row.cases += 1;
      if (c.status === 'solved') row.solved += 1;
      if (c.sla.breaches.length === 0) row.slaMet += 1;
      expected.set(key, row);
    }
    const sorted = [...expected.values()].sort((a, b) => `${a.queue}|${a.priority}`.localeCompare(`${b.queue}|${b.priority}`));
    expect(await rows({ measure: 'cases', by: 'queue,priority' })).toEqual(sorted.map((r) => ({ ...r, slaMetShare: r.slaMet / r.cases })));
    expect(await rows({ measure: 'cases', by: 'status', filter: 'queue:support' })).toEqual([
      expect.objectContaining({ status: 'open', cases: 1, solved: 0 }),
      expect.objectContaining({ status: 'solved', cases: 1, solved: 1 }),
    ]);
    const byDay = await rows({ measure: 'cases', by: 'day' });
    expect(byDay.map((r) => r.cases).reduce((a, b) => Number(a) + Number(b), 0)).toBe(3);
  });

  it("shows the campaign's recipients by outcome, the consents by topic and state, the opportunity by stage", async () => {
    const report = (await t.call('GET', `/campaigns/${created.campaign}/report`, { role: 'marketer' })).json;
    expect(report).toMatchObject({ targeted: 3, sent: 2, blocked: { no_consent: 1 } });
    expect(await rows({ measure: 'campaignFunnel' })).toEqual([{ campaign: created.campaign, recipients: 3, sent: 2, blocked: 1, held: 0, capped: 0, failed: 0 }]);
    expect(await rows({ measure: 'consents' })).toEqual([{ topic: 'news', state: 'subscribed', consents: 2 }]);
    expect(await rows({ measure: 'opportunities' })).toEqual([{ stage: created.opportunity.stage, currency: 'EUR', opportunities: 1, amount: 12000 }]);
    expect(await rows({ measure: 'opportunities', by: 'closeMonth' })).toEqual([{ closeMonth: '2027-03', currency: 'EUR', opportunities: 1, amount: 12000 }]);
  });

  it('answers no rows for days nothing happened on', async () => {
    expect(await rows({ measure: 'interactions', from: '2021-01-01', to: '2021-12-31' })).toEqual([]);
  });

  it('refuses unknown measures, dimensions, filters and values, long spans and SQL with a 400 that names them; staff below manager get 403', async () => {
    const refused = async (query: Record<string, string>, names: RegExp) => {
      const answer = await cube({ from, to, ...query });
      expect(answer.status, answer.text).toBe(400);
      expect(answer.headers.get('content-type')).toContain('application/problem+json');
      expect((answer.json.errors as { path: string; message: string }[]).map((e) => `${e.path} ${e.message}`).join('\n')).toMatch(names);
    };
    await refused({ measure: 'salaries' }, /"salaries" is not a measure/);
    await refused({ measure: 'interactions', by: 'day,pseudonym' }, /"pseudonym" is not a dimension of interactions/);
    await refused({ measure: 'interactions', by: 'day,day' }, /twice/);
    await refused({ measure: 'interactions', filter: 'email:ada.cube@example.com' }, /"email" is not a dimension/);
    await refused({ measure: 'interactions', filter: 'channel:fax' }, /"fax" is not a value of channel/);
    await refused({ measure: 'interactions', filter: "type:x' OR '1'='1" }, /is not a value of type/);
    await refused({ measure: 'revenue', filter: 'currency:euro' }, /"euro" is not a value of currency/);
    await refused({ measure: 'interactions', from: '2025-01-01', to: '2026-01-02' }, /at most 366 days/);
    await refused({ measure: 'interactions', from: to, to: from }, /must not be before from/);
    await refused({ measure: 'interactions', from: 'yesterday' }, /from/);
    await refused({ measure: 'interactions', sql: 'SELECT 1' }, /sql/);
    // 366 days (both counted) is allowed.
    expect((await cube({ measure: 'interactions', from: '2025-01-01', to: '2026-01-01' })).status).toBe(200);
    const ghost = await cube({ measure: 'interactions', from, to, queryId: '00000000-0000-4000-8000-000000000000' });
    expect(ghost.status, ghost.text).toBe(404);
    expect((await t.call('GET', `/reports/cube?measure=interactions&from=${from}&to=${to}`, { role: 'agent' })).status).toBe(403);
    expect((await t.call('GET', `/reports/cube?measure=interactions&from=${from}&to=${to}`, ADMIN)).status).toBe(200);
  });
});
