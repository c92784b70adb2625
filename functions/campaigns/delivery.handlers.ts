import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { DeliveryUseCases } from '#domain/campaigns/delivery.use-cases.ts';
import * as z from '#domain/shared/zod.ts';
import { SEND_PREFIX } from './campaign.keys.ts';
import type { campaignStarterFor } from './delivery.composition.ts';
import { log } from '../shared/log.ts';

const StartInput = z.onFirstUse(() => z.object({ campaignId: z.string().check(z.minLength(1), z.maxLength(128)) }));

/**
 * The table stream's queued send batches, one lane's in order: a batch that fails (and every one
 * after it in this call) is reported, so Lambda retries from there and the lane keeps its order.
 */
export function campaignSenderHandler(sender: Pick<DeliveryUseCases, 'sendBatch'>) {
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const records = event.Records;
    for (const [index, record] of records.entries()) {
      const image = record.dynamodb?.NewImage;
      if (!image) continue;
      const item = unmarshall(image as Record<string, AttributeValue>);
      if (!String(item.pk).startsWith(SEND_PREFIX) || item.status !== 'queued' || !Array.isArray(item.customerIds)) continue;
      const batch = { campaignId: String(item.campaignId), lane: Number(item.lane), id: String(item.sk), customerIds: item.customerIds.map(String) };
      try {
        await sender.sendBatch(batch, { correlationId: `campaign-batch:${batch.campaignId}:${batch.lane}:${batch.id}` });
      } catch (error) {
        log('error', 'send batch failed', { campaignId: batch.campaignId, batch: batch.id, error: String(error) });
        return { batchItemFailures: records.slice(index).map((r) => ({ itemIdentifier: r.dynamodb?.SequenceNumber ?? '' })) };
      }
    }
    return { batchItemFailures: [] };
  };
}

/** EventBridge Scheduler's one-off schedule of a campaign: `{campaignId}`. */
export function campaignStarterHandler(starter: ReturnType<typeof campaignStarterFor>) {
  return async (event: unknown): Promise<{ campaignId: string | null; result: string }> => {
    const input = StartInput.safeParse(event);
    if (!input.success) {
      // A malformed schedule input is a bug upstream; retrying it would not help.
      log('error', 'campaign start without a campaign id');
      return { campaignId: null, result: 'ignored' };
    }
    const { campaignId } = input.data;
    return { campaignId, result: await starter.start(campaignId, { correlationId: `campaign-start:${campaignId}` }) };
  };
}
