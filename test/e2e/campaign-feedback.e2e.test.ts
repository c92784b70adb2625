import { randomUUID } from 'node:crypto';
import { SendEmailCommand } from '@aws-sdk/client-sesv2';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recipientKey, reportKey } from '../../functions/campaigns/campaign.keys.ts';
import { hmacTokens } from '../../functions/shared/hmac-tokens.ts';
import { createSesClient } from '../../functions/shared/ses-client.ts';
import { createTableClient } from '../../functions/shared/table-client.ts';
import { LOCAL_AWS } from '../../infra/local/dynamodb-local.ts';
import { withMessageTags } from '../../infra/local/ses-feedback.ts';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

// Issue 10, the parts of triggered campaigns and their feedback that stand on their own, through
// the real local runtime (outbox, stream, bus, rules, consumers, aws-ses-v2-local): the events a
// campaign's rule reacts to reach the bus, and SES feedback and unsubscribes of campaign mail
// become the campaign's report counters. The whole triggered campaign (rule per campaign, segment
// membership, the send itself) is test/e2e/campaign-flow.e2e.test.ts.

const SECRET = `e2e-campaign-feedback-${randomUUID()}`;
let t: TestRuntime;
let table: ReturnType<typeof createTableClient>;

beforeAll(async () => {
  t = await startTestRuntime({ tokenSecret: SECRET });
  table = createTableClient({ endpoint: t.runtime.dynamodbEndpoint, ...LOCAL_AWS });
  const topics = [
    { id: 'newsletter', name: 'Newsletter', description: '', purpose: 'marketing' },
    { id: 'product-news', name: 'Product news', description: '', purpose: 'marketing' },
  ];
  expect((await t.call('PUT', '/topics', { role: 'admin', body: topics })).status).toBe(200);
});
afterAll(async () => {
  table?.destroy();
  await t?.runtime.stop();
});

interface BusEvent {
  readonly detailType: string;
  readonly detail: { data: Record<string, unknown> };
}
const busEvents = async (detailType: string) =>
  ((await t.call('GET', '/_local/events?limit=500', { role: null })).json.items as BusEvent[]).filter((e) => e.detailType === detailType).map((e) => e.detail.data);

async function report(campaignId: string) {
  const { Item } = await table.send(new GetCommand({ TableName: t.runtime.tableName, Key: reportKey(campaignId), ConsistentRead: true }));
  return Item ?? {};
}

async function customer(email: string): Promise<string> {
  const created = await t.call('POST', '/customers', { body: { email } });
  expect(created.status).toBe(201);
  return created.json.id;
}

describe('events a triggered campaign reacts to, on the local bus', () => {
  it('InteractionRecorded for each interaction of a known customer, single and batched', async () => {
    const id = await customer('trigger-e2e@example.com');
    const one = await t.call('POST', `/customers/${id}/interactions`, { body: { channel: 'web', type: 'page_view', data: { path: '/pricing' } } });
    expect(one.status).toBe(201);
    const batch = await t.call('POST', '/interactions', {
      body: { items: [{ customerId: id, channel: 'email', type: 'open' }, { anonymousId: 'anon-e2e', channel: 'web', type: 'page_view' }] },
    });
    expect(batch.status).toBe(200);
    await t.runtime.idle();
    const recorded = (await busEvents('InteractionRecorded')).filter((d) => d.customerId === id);
    expect(recorded).toHaveLength(2);
    expect(recorded).toEqual(
      expect.arrayContaining([
        { customerId: id, interactionId: one.json.id, channel: 'web', type: 'page_view', occurredAt: one.json.occurredAt },
        { customerId: id, interactionId: batch.json.items[0].id, channel: 'email', type: 'open', occurredAt: expect.any(String) },
      ]),
    );
  });

  it("CaseStatusChanged names the case's customer", async () => {
    const id = await customer('case-e2e@example.com');
    const opened = await t.call('POST', '/cases', { body: { customerId: id, subject: 'Help', channel: 'web' } });
    const solved = await t.call('PATCH', `/cases/${opened.json.id}`, { body: { status: 'solved' }, headers: { 'if-match': opened.headers.get('etag')! } });
    expect(solved.status).toBe(200);
    await t.runtime.idle();
    expect((await busEvents('CaseStatusChanged')).filter((d) => d.caseId === opened.json.id)).toEqual([{ caseId: opened.json.id, customerId: id, from: 'open', to: 'solved' }]);
  });
});

describe('feedback of campaign mail, on the campaign report', () => {
  it('counts the delivery SES reports for mail tagged with the campaign, once', async () => {
    const campaignId = `camp-${randomUUID()}`;
    // Campaign mail as the delivery sends it: SES v2 with EmailTags, through the local SES client.
    const ses = withMessageTags(createSesClient({ endpoint: t.runtime.sesUrl, ...LOCAL_AWS }));
    const send = (to: string) =>
      ses.send(
        new SendEmailCommand({
          FromEmailAddress: 'crm@localhost.test',
          Destination: { ToAddresses: [to] },
          Content: { Simple: { Subject: { Data: 'Hi' }, Body: { Text: { Data: 'Hello' } } } },
          EmailTags: [{ Name: 'kind', Value: 'marketing' }, { Name: 'campaign', Value: campaignId }],
        }),
      );
    await send('reader@example.com');
    await send('bounce@simulator.amazonses.com');
    await t.runtime.idle();
    expect(await report(campaignId)).toMatchObject({ delivered: 1, bounced: 1 });
    ses.destroy();
  });

  it("counts an unsubscribe through the campaign mail's link once per recipient", async () => {
    const campaignId = `camp-${randomUUID()}`;
    const id = await customer('unsub-e2e@example.com');
    for (const topic of ['newsletter', 'product-news']) {
      await t.call('POST', `/customers/${id}/consents`, { role: 'admin', body: { topic, action: 'grant', legalBasis: 'consent', proof: 'p' } });
    }
    // The recipient record the campaign's sender writes when it mails the customer.
    await table.send(new PutCommand({ TableName: t.runtime.tableName, Item: { ...recipientKey(id, campaignId), outcome: 'sent', reason: null, at: new Date().toISOString() } }));
    // The link of the campaign's mail: its token names the campaign.
    const token = hmacTokens(SECRET).sign({ purpose: 'unsubscribe', customerId: id, topic: 'newsletter', id: randomUUID(), campaignId });
    const unsubscribe = (body: string) =>
      fetch(`${t.runtime.url}/unsubscribe?token=${encodeURIComponent(token)}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    expect((await unsubscribe('scope=all')).status).toBe(200);
    const again = await unsubscribe('List-Unsubscribe=One-Click');
    expect(again.status, await again.text()).toBe(200);
    await t.runtime.idle();
    const withdrawn = (await busEvents('ConsentWithdrawn')).filter((d) => d.customerId === id);
    expect(withdrawn.map((d) => [d.topic, d.campaignId]).sort()).toEqual([
      ['newsletter', campaignId],
      ['product-news', campaignId],
    ]);
    expect(await report(campaignId)).toMatchObject({ unsubscribed: 1 });
  });
});
