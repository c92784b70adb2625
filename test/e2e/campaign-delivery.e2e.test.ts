import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { campaignKey, reportKey, toCampaignItem } from '../../functions/campaigns/campaign.keys.ts';
import { campaignSinkFor, campaignSendingFor } from '../../functions/campaigns/delivery.composition.ts';
import { systemClock, uuidIds } from '../../functions/shared/system.ts';
import { createTableClient } from '../../functions/shared/table-client.ts';
import { LOCAL_AWS } from '../../infra/local/dynamodb-local.ts';
import { campaignOf } from '../support/delivery-fakes.ts';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

// Campaign delivery through the local runtime: a scan page handed to the campaign sink (the
// scanner is another part's; here the test hands the page over as it would) becomes send
// batches, the table stream runs them through the campaignSender function, unpaced, into
// aws-ses-v2-local; the mail carries the campaign and its unsubscribe link works.

let t: TestRuntime;
let client: ReturnType<typeof createTableClient>;
const ctx = { correlationId: 'campaign-e2e' };

interface StoredEmail {
  subject: string;
  destination: { to: string[] };
  body: { text?: string };
  headers?: { name: string; value: string }[];
}
const emails = async () => ((await (await fetch(`${t.runtime.sesUrl}/store`)).json()) as { emails: StoredEmail[] }).emails;
const mailTo = async (address: string) => (await emails()).filter((e) => e.destination.to.includes(address));
const infra = () => ({ client, tableName: t.runtime.tableName, clock: systemClock, ids: uuidIds });
const state = async (customerId: string) => (await t.call('GET', `/customers/${customerId}/consents`)).json.topics.find((s: { topic: string }) => s.topic === 'newsletter')?.state;

beforeAll(async () => {
  t = await startTestRuntime();
  client = createTableClient({ endpoint: t.runtime.dynamodbEndpoint, ...LOCAL_AWS });
  await t.call('PUT', '/topics', { role: 'admin', body: [{ id: 'newsletter', name: 'Newsletter', purpose: 'marketing' }] });
});
afterAll(async () => {
  client?.destroy();
  await t?.runtime.stop();
});

async function customer(email: string, subscribed: boolean) {
  const c = (await t.call('POST', '/customers', { body: { email, firstName: 'Kim' } })).json;
  if (subscribed) await t.call('POST', `/customers/${c.id}/consents`, { role: 'admin', body: { topic: 'newsletter', action: 'grant', legalBasis: 'consent', proof: 'import' } });
  return c as { id: string };
}

describe('a campaign page through the local runtime', () => {
  it('mails each subscribed member once with the campaign header and a working unsubscribe link, counts the outcomes and completes', async () => {
    const fan = await customer('camp.fan@example.com', true);
    const quiet = await customer('camp.quiet@example.com', false);
    const campaign = campaignOf({ id: 'cmp-e2e', template: { subject: 'News for {{firstName}}', text: 'Hello {{firstName}}', html: null } });
    await client.send(new PutCommand({ TableName: t.runtime.tableName, Item: toCampaignItem(campaign) }));

    const sink = campaignSinkFor(infra());
    const run = { runId: 'run-e2e', purpose: 'campaign' as const, segmentId: 'seg-1', targetId: campaign.id, parts: 1 };
    const page = { part: 0, page: 0, customerIds: [fan.id, quiet.id], last: true };
    await sink.accept(run, page, ctx);
    await sink.accept(run, page, ctx); // the scanner's retry of the same page
    await t.runtime.idle();

    const mails = await mailTo('camp.fan@example.com');
    expect(mails).toHaveLength(1);
    expect(await mailTo('camp.quiet@example.com')).toEqual([]);
    const headers = Object.fromEntries((mails[0]!.headers ?? []).map((h) => [h.name, h.value]));
    expect(headers['X-Campaign-Id']).toBe('cmp-e2e');
    expect(mails[0]!.subject).toBe('News for Kim');
    const link = new URL(/Unsubscribe: (\S+)/.exec(mails[0]!.body.text!)![1]!);
    expect(link.origin).toBe(new URL(t.runtime.url).origin);
    expect(headers['List-Unsubscribe']).toBe(`<${link.href}>`);

    const report = (await client.send(new GetCommand({ TableName: t.runtime.tableName, Key: reportKey(campaign.id), ConsistentRead: true }))).Item!;
    expect(report).toMatchObject({ targeted: 2, sent: 1, blocked_no_consent: 1, batchesQueued: 1, batchesDone: 1, partsDone: 1 });
    const stored = (await client.send(new GetCommand({ TableName: t.runtime.tableName, Key: campaignKey(campaign.id), ConsistentRead: true }))).Item!;
    expect(stored.status).toBe('completed');

    const events = (await t.call('GET', '/_local/events?limit=100', { role: null })).json.items as { detailType: string; detail: { data: Record<string, unknown> } }[];
    expect(events.filter((e) => e.detailType === 'CampaignMessageSent').map((e) => e.detail.data.customerId)).toEqual([fan.id]);
    expect(events.filter((e) => e.detailType === 'CampaignCompleted').map((e) => e.detail.data)).toEqual([{ campaignId: 'cmp-e2e', targeted: 2, sent: 1 }]);

    const timeline = (await t.call('GET', `/customers/${fan.id}/timeline`)).json.items;
    expect(timeline[0]).toMatchObject({ kind: 'email', type: 'email_sent', data: { campaignId: 'cmp-e2e', topic: 'newsletter' } });

    const oneClick = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(oneClick.status).toBe(200);
    expect(await state(fan.id)).toBe('unsubscribed');
  });

  it('parks the batches of a paused campaign and sends them after resume', async () => {
    const member = await customer('camp.paused@example.com', true);
    const campaign = campaignOf({ id: 'cmp-paused', status: 'paused', pausedFrom: 'running' });
    await client.send(new PutCommand({ TableName: t.runtime.tableName, Item: toCampaignItem(campaign) }));
    await campaignSinkFor(infra()).accept({ runId: 'run-p', purpose: 'campaign', segmentId: 'seg-1', targetId: campaign.id, parts: 1 }, { part: 0, page: 0, customerIds: [member.id], last: true }, ctx);
    await t.runtime.idle();
    expect(await mailTo('camp.paused@example.com')).toEqual([]);

    await client.send(new PutCommand({ TableName: t.runtime.tableName, Item: toCampaignItem({ ...campaign, status: 'running', pausedFrom: null, version: campaign.version + 1 }) }));
    await campaignSendingFor(infra()).resume(campaign.id);
    await t.runtime.idle();
    expect(await mailTo('camp.paused@example.com')).toHaveLength(1);
  });
});
