import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import type { AudienceSink, ScanRun } from '#domain/campaigns/campaign.ports.ts';
import type { AudienceScanner } from './audience.dynamodb.ts';
import { SCAN_PREFIX } from './campaign.keys.ts';
import { log } from '../shared/log.ts';

/**
 * flow: for each scan part item the stream brings (INSERT, or MODIFY after a page): one page of
 * that part (audience.step). A failure is reported for its record, so Lambda retries from it and
 * the part resumes at the page it was on.
 */
export function audienceScannerHandler(scanner: Pick<AudienceScanner, 'step'>, sinks: Record<ScanRun['purpose'], AudienceSink>) {
  return async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    for (const record of event.Records) {
      const image = record.dynamodb?.NewImage;
      if (!image) continue;
      const item = unmarshall(image as Record<string, AttributeValue>);
      if (typeof item.pk !== 'string' || !item.pk.startsWith(SCAN_PREFIX) || item.done === true) continue;
      try {
        await scanner.step(String(item.runId), Number(item.part), sinks);
      } catch (error) {
        log('error', 'audience scan page failed', { runId: item.runId, part: item.part, error: error instanceof Error ? error.name : typeof error });
        return { batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' }] };
      }
    }
    return { batchItemFailures: [] };
  };
}
