import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Campaign, Outcome } from '../../domain/campaigns/campaign.schema.ts';
import { campaignKey, recipientIndexKeys, recipientKey, toCampaignItem, toSegmentItem } from '../../functions/campaigns/campaign.keys.ts';
import { createTableClient } from '../../functions/shared/table-client.ts';
import { LOCAL_AWS } from '../../infra/local/dynamodb-local.ts';
import type { TestRuntime } from './local-runtime.ts';

// Items the starter and the sender write (a campaign's status, its recipients and counters), put
// straight into a local runtime's table with the context's own keys and mappers, so the campaign
// API's e2e tests set up a state without running a whole campaign to it.

function tableOf(t: TestRuntime) {
  return { client: createTableClient({ endpoint: t.runtime.dynamodbEndpoint, ...LOCAL_AWS }), TableName: t.runtime.tableName };
}

export async function putSegment(t: TestRuntime, id: string): Promise<void> {
  const { client, TableName } = tableOf(t);
  const at = new Date().toISOString();
  const item = toSegmentItem({ id, name: `Segment ${id}`, description: null, rule: { field: 'tags', op: 'contains', value: 'vip' }, createdAt: at, updatedAt: at, version: 1 });
  await client.send(new PutCommand({ TableName, Item: item }));
  client.destroy();
}

/** A campaign item as stored, without the API (for tests that only need one to exist). */
export async function putCampaign(t: TestRuntime, campaign: Campaign): Promise<void> {
  const { client, TableName } = tableOf(t);
  await client.send(new PutCommand({ TableName, Item: toCampaignItem(campaign) }));
  client.destroy();
}

/** What the starter and the sender do: a new status, no new version. */
export async function setCampaignStatus(t: TestRuntime, id: string, status: Campaign['status']): Promise<void> {
  const { client, TableName } = tableOf(t);
  await client.send(new UpdateCommand({ TableName, Key: campaignKey(id), UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': status } }));
  client.destroy();
}

export async function putRecipient(t: TestRuntime, campaignId: string, customerId: string, outcome: Outcome, reason: string | null = null): Promise<void> {
  const { client, TableName } = tableOf(t);
  const item = { ...recipientKey(customerId, campaignId), ...recipientIndexKeys(campaignId, outcome, customerId), type: 'CampaignRecipient', campaignId, customerId, outcome, reason, at: new Date().toISOString() };
  await client.send(new PutCommand({ TableName, Item: item }));
  client.destroy();
}

export async function addToReport(t: TestRuntime, campaignId: string, counters: Record<string, number>): Promise<void> {
  const { client, TableName } = tableOf(t);
  const names = Object.keys(counters);
  await client.send(
    new UpdateCommand({
      TableName,
      Key: { pk: campaignKey(campaignId).pk, sk: 'REPORT' },
      UpdateExpression: `ADD ${names.map((_, i) => `#c${i} :c${i}`).join(', ')}`,
      ExpressionAttributeNames: Object.fromEntries(names.map((n, i) => [`#c${i}`, n])),
      ExpressionAttributeValues: Object.fromEntries(names.map((n, i) => [`:c${i}`, counters[n]])),
    }),
  );
  client.destroy();
}
