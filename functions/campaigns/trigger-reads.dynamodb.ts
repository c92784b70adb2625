import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TriggerReads } from '#domain/campaigns/campaign-trigger.use-cases.ts';
import { fromInteractionItem, timelineKey } from '../customers/customer.keys.ts';
import { campaignKey, fromCampaignItem } from './campaign.keys.ts';

/** One GetItem each: the campaign, and the timeline entry an InteractionRecorded points at. */
export function dynamoTriggerReads(client: DynamoDBDocumentClient, tableName: string): TriggerReads {
  const get = async (Key: Record<string, unknown>) => (await client.send(new GetCommand({ TableName: tableName, Key, ConsistentRead: true }))).Item;
  return {
    async campaign(id) {
      const item = await get(campaignKey(id));
      return item ? fromCampaignItem(item) : undefined;
    },
    async interactionData(customerId, occurredAt, interactionId) {
      const item = await get(timelineKey({ customerId, anonymousId: null, occurredAt, id: interactionId }));
      const entry = item ? fromInteractionItem(item) : undefined;
      return entry?.kind === 'interaction' ? entry.data : undefined;
    },
  };
}
