import type { Campaign, CampaignReport, Recipient } from '#domain/campaigns/campaign.schema.ts';
import type { Segment } from '#domain/campaigns/segment.schema.ts';
import { TABLE } from '#infra/table.ts';

// Keys and item mappers for the campaigns context (segments and campaigns; pure, no I/O).
//   segment          pk SEGMENT#<id>                 sk SEGMENT                    gsi1 SEGMENTS / <createdAt>#<id>
//   snapshot         pk SEGMENT#<id>                 sk SNAPSHOT#<snapshotId>      status, count, createdAt, completedAt
//   snapshot members pk SNAPSHOT#<snapshotId>        sk PAGE#<part>#<page>         customerIds (one scanned page of members)
//   audience scan    pk SCAN#<runId>#<part>          sk PART                       one parallel-scan part: purpose, segmentId, targetId,
//                                                                                  startKey, page, done (stream -> audienceScanner)
//   campaign         pk CAMPAIGN#<id>                sk CAMPAIGN                   gsi1 CAMPAIGNS / <createdAt>#<id>
//   report           pk CAMPAIGN#<id>                sk REPORT                     counters (ADD), parts and batches done
//   send batch       pk SEND#<campaignId>#<lane>     sk <part>#<page>#<chunk>      customerIds, status (stream -> campaignSender;
//                                                                                  one lane's batches are handled in order: the pacing)
//   empty scan page  pk SEND#<campaignId>#pages     sk <part>#<page>              a page without members (counted once)
//   recipient        pk CUSTOMER#<customerId>        sk CAMPAIGN#<campaignId>      outcome, reason, at: at most one per customer and
//                                                                                  campaign, ever; gsi8 RECIPIENTS#<campaignId> / <outcome>#<customerId>
//   campaign email   pk CUSTOMER#<customerId>        sk TL#<at>#<id>               the timeline entry of a sent message (kind email)
// Recipients and campaign emails live in the customer's partition: erasure and export reach them there.

const BY_CREATED = TABLE.indexes.byCreatedAt;
const BY_CAMPAIGN = TABLE.indexes.byCampaign;

export const ALL_SEGMENTS = 'SEGMENTS';
export const ALL_CAMPAIGNS = 'CAMPAIGNS';
export const SCAN_PREFIX = 'SCAN#';
export const SEND_PREFIX = 'SEND#';
export const RECIPIENT_PREFIX = 'CAMPAIGN#';

export const segmentKey = (id: string) => ({ pk: `SEGMENT#${id}`, sk: 'SEGMENT' });
export const snapshotKey = (segmentId: string, snapshotId: string) => ({ pk: `SEGMENT#${segmentId}`, sk: `SNAPSHOT#${snapshotId}` });
export const snapshotPartition = (snapshotId: string) => `SNAPSHOT#${snapshotId}`;
export const snapshotPageKey = (snapshotId: string, part: number, page: number) => ({
  pk: snapshotPartition(snapshotId),
  sk: `PAGE#${pad(part)}#${pad(page)}`,
});
/** Each part its own partition key: the stream hands different keys to the scanner side by side (its parallelization factor). */
export const scanPartKey = (runId: string, part: number) => ({ pk: `${SCAN_PREFIX}${runId}#${pad(part)}`, sk: 'PART' });
export const campaignKey = (id: string) => ({ pk: `CAMPAIGN#${id}`, sk: 'CAMPAIGN' });
export const reportKey = (campaignId: string) => ({ pk: `CAMPAIGN#${campaignId}`, sk: 'REPORT' });
export const sendBatchKey = (campaignId: string, lane: number, part: number, page: number, chunk: number) => ({
  pk: `${SEND_PREFIX}${campaignId}#${lane}`,
  sk: `${pad(part)}#${pad(page)}#${pad(chunk)}`,
});
/** A batch by its id (the sort key sendBatchKey builds from part, page and chunk). */
export const sendBatchItemKey = (campaignId: string, lane: number, batchId: string) => ({ pk: `${SEND_PREFIX}${campaignId}#${lane}`, sk: batchId });
export const emptyPageKey = (campaignId: string, part: number, page: number) => ({ pk: `${SEND_PREFIX}${campaignId}#pages`, sk: `${pad(part)}#${pad(page)}` });
export const recipientKey = (customerId: string, campaignId: string) => ({ pk: `CUSTOMER#${customerId}`, sk: `${RECIPIENT_PREFIX}${campaignId}` });
export const recipientsPartition = (campaignId: string) => `RECIPIENTS#${campaignId}`;
export const recipientIndexKeys = (campaignId: string, outcome: string, customerId: string) => ({
  [BY_CAMPAIGN.partitionKey]: recipientsPartition(campaignId),
  [BY_CAMPAIGN.sortKey]: `${outcome}#${customerId}`,
});

/**
 * A snapshot and its member pages expire (table TTL) this long after it was taken: a frozen list of
 * customer ids outside their partitions, which erasure does not visit, must not outlive its use.
 */
export const SNAPSHOT_RETENTION_SECONDS = 30 * 24 * 3600;
export const snapshotExpiry = (takenAt: string | Date) => Math.floor(new Date(takenAt).getTime() / 1000) + SNAPSHOT_RETENTION_SECONDS;

/** Fixed-width numbers keep sort keys in numeric order. */
function pad(n: number): string {
  return String(n).padStart(6, '0');
}

export function toSegmentItem(segment: Segment): Record<string, unknown> {
  return {
    ...segmentKey(segment.id),
    type: 'Segment',
    [BY_CREATED.partitionKey]: ALL_SEGMENTS,
    [BY_CREATED.sortKey]: `${segment.createdAt}#${segment.id}`,
    ...segment,
  };
}

export function fromSegmentItem(item: Record<string, unknown>): Segment {
  return {
    id: String(item.id),
    name: String(item.name),
    description: typeof item.description === 'string' ? item.description : null,
    rule: item.rule as Segment['rule'],
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
    version: Number(item.version),
  };
}

export function toCampaignItem(campaign: Campaign): Record<string, unknown> {
  return {
    ...campaignKey(campaign.id),
    type: 'Campaign',
    [BY_CREATED.partitionKey]: ALL_CAMPAIGNS,
    [BY_CREATED.sortKey]: `${campaign.createdAt}#${campaign.id}`,
    ...campaign,
  };
}

export function fromCampaignItem(item: Record<string, unknown>): Campaign {
  const text = (name: string) => (typeof item[name] === 'string' ? (item[name] as string) : null);
  return {
    id: String(item.id),
    name: String(item.name),
    topic: String(item.topic),
    template: item.template as Campaign['template'],
    audience: item.audience as Campaign['audience'],
    schedule: (item.schedule ?? null) as Campaign['schedule'],
    trigger: (item.trigger ?? null) as Campaign['trigger'],
    holdIfOpenCase: (item.holdIfOpenCase ?? null) as Campaign['holdIfOpenCase'],
    frequencyCap: (item.frequencyCap ?? null) as Campaign['frequencyCap'],
    status: item.status as Campaign['status'],
    pausedFrom: (item.pausedFrom ?? null) as Campaign['pausedFrom'],
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
    startedAt: text('startedAt'),
    completedAt: text('completedAt'),
    version: Number(item.version),
  };
}

// The REPORT item (reportKey) of a campaign: one number attribute per counter below, and one per
// gate refusal reason as `blocked_<reason>` (blocked_no_consent, blocked_suppressed, blocked_erased,
// ...). The delivery side adds to them with `ADD`, so the item appears with the first count; the
// report reads it alone, never the recipients.
export const REPORT_COUNTERS = ['targeted', 'sent', 'held', 'capped', 'failed', 'delivered', 'bounced', 'complained', 'unsubscribed'] as const;
export type ReportCounter = (typeof REPORT_COUNTERS)[number];
export const BLOCKED_PREFIX = 'blocked_';
export const blockedCounter = (reason: string) => `${BLOCKED_PREFIX}${reason}`;

export function fromReportItem(item: Record<string, unknown> | undefined): CampaignReport {
  const count = (name: string) => (typeof item?.[name] === 'number' ? (item[name] as number) : 0);
  const blocked = Object.fromEntries(
    Object.keys(item ?? {})
      .filter((name) => name.startsWith(BLOCKED_PREFIX) && name.length > BLOCKED_PREFIX.length)
      .map((name) => [name.slice(BLOCKED_PREFIX.length), count(name)]),
  );
  return { ...(Object.fromEntries(REPORT_COUNTERS.map((name) => [name, count(name)])) as Record<ReportCounter, number>), blocked };
}

/** A recipient item (recipientKey, in the customer's partition): customerId, outcome, reason, at. */
export function fromRecipientItem(item: Record<string, unknown>): Recipient {
  return {
    customerId: String(item.customerId),
    outcome: item.outcome as Recipient['outcome'],
    reason: typeof item.reason === 'string' ? item.reason : null,
    at: String(item.at),
  };
}

// Feedback counted once (campaign-feedback.dynamodb.ts):
//   SES event        pk ONCE#campaign-feedback#<kind>#<messageId>   sk ONCE   put once, TTL 30 days (expiresAt)
//   unsubscribe      the recipient item's `unsubscribedAt`, set once
export const feedbackOnceKey = (kind: string, messageId: string) => ({ pk: `ONCE#campaign-feedback#${kind}#${messageId}`, sk: 'ONCE' });
