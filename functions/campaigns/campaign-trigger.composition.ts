import { createHash } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Audience, CampaignDelivery, OneOffSchedules } from '#domain/campaigns/campaign.ports.ts';
import { campaignTrigger } from '#domain/campaigns/campaign-trigger.use-cases.ts';
import type { Clock } from '#domain/shared/ports.ts';
import { dynamoTriggerReads } from './trigger-reads.dynamodb.ts';

export interface TriggerInfra {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly clock: Clock;
}

/** The ports other parts of the context implement: the composition roots hand them in. */
export interface TriggerPorts {
  readonly audience: Audience;
  readonly delivery: CampaignDelivery;
  readonly schedules: OneOffSchedules;
}

/**
 * EventBridge Scheduler names: 1-64 of [0-9a-zA-Z-_.]. Ids can be 128 characters each, so the
 * name is a digest of both (a collision would let one customer's delayed send replace another's).
 */
export function delayedSendName(campaignId: string, customerId: string): string {
  return `trigger-${createHash('sha256').update(`${campaignId}\n${customerId}`).digest('base64url')}`;
}

export function campaignTriggerFor(infra: TriggerInfra, ports: TriggerPorts) {
  return campaignTrigger({ reads: dynamoTriggerReads(infra.client, infra.tableName), ...ports, clock: infra.clock, scheduleName: delayedSendName });
}
