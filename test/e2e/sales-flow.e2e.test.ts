import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../infra/routes.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

// The whole of issue 12 through the HTTP API only, the way a company's sales team and a reseller
// would use it: a partner registers a deal, the vendor configures its pipeline, the partner converts
// the lead into a customer, an account and an opportunity, works it through the stages, an activity
// reminds its owner by email, the deal is won, its products become purchases of the account's
// contacts, and the pipeline report, the account timeline and the next-best products show all of it.
// Another partner sees none of it. Every answer is checked against the OpenAPI document (t.call).

let t: TestRuntime;
const unique = () => randomUUID().slice(0, 8);
const mergePatch = { 'content-type': 'application/merge-patch+json' };
type Mail = { subject: string; destination: { to: string[] } };

async function as(role: Role, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return t.call(method, path, { role, ...(body !== undefined ? { body } : {}), headers });
}
async function asPartner(accountId: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const authorization = `Bearer ${await t.token('partner', undefined, accountId)}`;
  return t.call(method, path, { role: null, ...(body !== undefined ? { body } : {}), headers: { authorization, ...headers } });
}
function ok<T extends { status: number; text: string }>(res: T, status = 200): T {
  expect(res.status, res.text).toBe(status);
  return res;
}

beforeAll(async () => {
  t = await startTestRuntime();
});

afterAll(async () => {
  await t?.runtime.stop();
});

describe('issue 12 end to end: from a partner-registered lead to a won deal and the next-best products', () => {
  it('runs the whole sales cycle and shows it in the report, on the timeline and in the recommendations, to staff only', async () => {
    const owner = `closer-${unique()}@example.com`;

    // The catalogue, and earlier buyers whose baskets teach what goes with what.
    for (const [sku, name] of [['ENGINE', 'Difference engine'], ['PUNCH', 'Punched cards'], ['MANUAL', 'Operator manual']] as const) {
      ok(await as('manager', 'PUT', `/products/${sku}`, { name, category: 'machines', price: 100, currency: 'EUR', active: true }), 201);
    }
    for (let n = 0; n < 3; n++) {
      const buyer = ok(await as('agent', 'POST', '/customers', { email: `buyer-${n}-${unique()}@example.com` }), 201).json;
      const basket = { channel: 'store', type: 'purchase', data: { orderId: `earlier-${n}-${unique()}`, items: [{ sku: 'ENGINE', quantity: 1, unitPrice: 100 }, { sku: 'MANUAL', quantity: 1, unitPrice: 10 }] } };
      ok(await as('agent', 'POST', `/customers/${buyer.id}/interactions`, basket), 201);
    }

    // Two resellers; a partner user of each.
    const alpha = ok(await as('manager', 'POST', '/accounts', { name: `Alpha Resellers ${unique()}`, type: 'partner' }), 201).json;
    const bravo = ok(await as('manager', 'POST', '/accounts', { name: `Bravo Resellers ${unique()}`, type: 'partner' }), 201).json;

    // The vendor's own pipeline.
    const stages = ok(await as('manager', 'GET', '/pipeline/stages'));
    ok(
      await as(
        'manager',
        'PUT',
        '/pipeline/stages',
        { stages: [{ id: 'discovery', label: 'Discovery', probability: 10 }, { id: 'demo', label: 'Demo', probability: 40 }, { id: 'contract', label: 'Contract', probability: 80 }] },
        { 'if-match': stages.headers.get('etag')! },
      ),
    );

    // Alpha registers a deal: the lead is Alpha's; Bravo cannot see it.
    const email = `ada-${unique()}@analytical.example`;
    const lead = ok(await asPartner(alpha.id, 'POST', '/leads', { email, firstName: 'Ada', lastName: 'Lovelace', company: `Analytical Engines ${unique()}`, source: 'partner-portal' }), 201).json;
    expect(lead).toMatchObject({ partnerAccountId: alpha.id, status: 'new' });
    expect(ok(await asPartner(alpha.id, 'GET', '/leads')).json.items.map((l: { id: string }) => l.id)).toContain(lead.id);
    expect((await asPartner(bravo.id, 'GET', `/leads/${lead.id}`)).status).toBe(404);
    expect(ok(await asPartner(bravo.id, 'GET', '/leads')).json.items).toEqual([]);
    expect(ok(await as('agent', 'GET', `/leads?partner=${alpha.id}`)).json.items.map((l: { id: string }) => l.id)).toEqual([lead.id]);

    // Alpha qualifies and converts it: customer, account, contact and opportunity in one go, in the configured pipeline.
    ok(await asPartner(alpha.id, 'PATCH', `/leads/${lead.id}`, { status: 'working' }, mergePatch));
    const closeDate = '2027-05-20';
    const converted = ok(
      await asPartner(alpha.id, 'POST', `/leads/${lead.id}/convert`, { opportunity: { name: 'Two engines', amount: 200, currency: 'EUR', closeDate, products: [{ sku: 'ENGINE', quantity: 2, unitPrice: 100 }] } }, { 'idempotency-key': unique() }),
    ).json;
    expect(converted.customer.created).toBe(true);
    expect(converted.account.created).toBe(true);
    expect(converted.opportunity).toMatchObject({ stage: 'discovery', probability: 10, partnerAccountId: alpha.id });
    expect((await asPartner(alpha.id, 'POST', `/leads/${lead.id}/convert`, {})).status).toBe(409);
    const deal = converted.opportunity as { id: string; ownerId: string };
    const accountId = converted.account.id as string;
    const customerId = converted.customer.id as string;
    expect(ok(await as('agent', 'GET', `/accounts/${accountId}/contacts`)).json.items.map((c: { customerId: string }) => c.customerId)).toEqual([customerId]);
    // The partner works its deal but never sees the customer, the account or anyone else's.
    expect((await asPartner(alpha.id, 'GET', `/customers/${customerId}`)).status).toBe(403);
    expect((await asPartner(alpha.id, 'GET', `/accounts/${accountId}`)).status).toBe(403);
    expect((await asPartner(bravo.id, 'GET', `/opportunities/${deal.id}`)).status).toBe(404);

    // Staff hand it to a closer, who books a demo with a reminder; the partner moves the stage.
    ok(await as('manager', 'PATCH', `/opportunities/${deal.id}`, { ownerId: owner }, mergePatch));
    const now = new Date(ok(await t.call('GET', '/_local/clock', { role: null })).json.now).getTime();
    const demo = ok(await as('agent', 'POST', '/activities', { type: 'meeting', subject: 'Demo at Analytical Engines', dueAt: new Date(now + 3600_000).toISOString(), ownerId: owner, opportunityId: deal.id, customerId }), 201).json;
    const moved = ok(await asPartner(alpha.id, 'PATCH', `/opportunities/${deal.id}`, { stage: 'demo' }, mergePatch)).json;
    expect(moved).toMatchObject({ stage: 'demo', probability: 40 });
    expect((await as('manager', 'PUT', '/pipeline/stages', { stages: [{ id: 'discovery', label: 'Discovery', probability: 10 }] })).status).toBe(409);

    // The reminder: ActivityDue on the virtual clock, one email to the owner.
    ok(await t.call('POST', '/_local/clock/advance', { role: null, body: { seconds: 3700 } }));
    const mails = await eventually(async () => {
      const all = ((await (await fetch(`${t.runtime.sesUrl}/store`)).json()) as { emails: Mail[] }).emails.filter((m) => m.destination.to.includes(owner));
      return all.length ? all : undefined;
    });
    expect(mails.map((m) => m.subject)).toEqual(['[Reminder] Demo at Analytical Engines']);

    // The account's timeline shows the deal and the activity; the customer's (staff) shows the activity.
    const timeline = ok(await as('agent', 'GET', `/accounts/${accountId}/timeline?limit=50`)).json.items as { kind: string; id?: string }[];
    expect(timeline.map((e) => e.kind)).toEqual(expect.arrayContaining(['opportunity', 'activity']));
    const customerTimeline = ok(await as('agent', 'GET', `/customers/${customerId}/timeline?limit=50`)).json.items as { kind: string }[];
    expect(customerTimeline.map((e) => e.kind)).toContain('activity');
    ok(await as('agent', 'PATCH', `/activities/${demo.id}`, { completed: true }, mergePatch));

    // Won: final, its products become the contact's purchases.
    const won = ok(await as('agent', 'PATCH', `/opportunities/${deal.id}`, { stage: 'won', closeDate }, mergePatch)).json;
    expect(won).toMatchObject({ stage: 'won', probability: 100 });
    expect((await asPartner(alpha.id, 'PATCH', `/opportunities/${deal.id}`, { amount: 1 }, mergePatch)).status).toBe(409);

    // The pipeline report: the deal counted once, won, in May 2027, under its owner and overall.
    const report = ok(await as('manager', 'GET', `/reports/pipeline?from=2027-05&to=2027-05&owner=${encodeURIComponent(owner)}`)).json;
    expect(report.months).toEqual([expect.objectContaining({ month: '2027-05', currency: 'EUR', count: 1, amount: 200, weightedAmount: 200, won: 1, wonAmount: 200, lost: 0, winRate: 1 })]);
    // Days in a stage count in the month the stage was left (today, on the virtual clock): both left the same day.
    const month = new Date(now).toISOString().slice(0, 7);
    const left = ok(await as('manager', 'GET', `/reports/pipeline?from=${month}&to=${month}&owner=${encodeURIComponent(owner)}`)).json;
    expect(left.months).toEqual([expect.objectContaining({ month, currency: 'EUR', count: 0, avgDaysPerStage: { discovery: 0, demo: 0 } })]);

    // Next-best products: the customer and the account own ENGINE now; MANUAL went with it before.
    const recommended = await eventually(async () => {
      const items = ok(await as('agent', 'GET', `/customers/${customerId}/recommendations?limit=3`)).json.items as { sku: string; reason: { kind: string; sku?: string } }[];
      return items.some((i) => i.sku === 'MANUAL' && i.reason.kind === 'bought_with') ? items : undefined;
    });
    expect(recommended.map((i) => i.sku)).not.toContain('ENGINE');
    expect(recommended[0]).toMatchObject({ sku: 'MANUAL', reason: { kind: 'bought_with', sku: 'ENGINE' } });
    const forAccount = ok(await as('agent', 'GET', `/accounts/${accountId}/recommendations?limit=3`)).json.items as { sku: string }[];
    expect(forAccount[0]?.sku).toBe('MANUAL');

    // The bus heard every step of it.
    const events = ((await t.call('GET', '/_local/events?limit=500', { role: null })).json.items as { detailType: string }[]).map((e) => e.detailType);
    expect(events).toEqual(expect.arrayContaining(['LeadCaptured', 'LeadConverted', 'AccountCreated', 'OpportunityStageChanged', 'ActivityDue', 'OpportunityWon', 'PurchaseRecorded']));
  });
});
