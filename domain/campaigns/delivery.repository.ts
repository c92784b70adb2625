import type { DomainEvent } from '#events/define-event.ts';
import type { Priority } from '../cases/case.schema.ts';
import type { EmailMessage } from '../shared/email.ts';
import type { CommandContext } from '../shared/ports.ts';
import type { Campaign, Outcome } from './campaign.schema.ts';
import type { ScanRun } from './campaign.ports.ts';
import type { TemplatePerson } from './template.ts';

// The ports of campaign delivery (start, send batches, one-customer sends). The DynamoDB adapter
// is functions/campaigns/delivery.dynamodb-repository.ts.

/** One queued slice of a campaign's audience (at most 100 ids) in one lane. */
export interface SendBatch {
  readonly campaignId: string;
  readonly lane: number;
  /** The batch's own id (its sort key): recipient records name the batch that wrote them. */
  readonly id: string;
  readonly customerIds: readonly string[];
}

/** Where a recipient record came from: a batch, or a one-customer (triggered) delivery. */
export type RecordSource = `batch:${string}` | 'deliver';

/** At most one per customer and campaign, ever. A `sent` record is written BEFORE SES is asked: the claim. */
export interface RecipientRecord {
  readonly customerId: string;
  readonly campaignId: string;
  readonly outcome: Outcome;
  readonly reason: string | null;
  readonly at: string;
  readonly source: RecordSource;
  /** For `sent`: the id of the timeline entry that records the message once SES accepted it. */
  readonly entryId: string | null;
}

/** Counts of one batch (or one delivery), added to the campaign's report in one write. */
export interface OutcomeCounts {
  targeted: number;
  sent: number;
  held: number;
  capped: number;
  failed: number;
  blocked: Record<string, number>;
}

export interface Progress {
  /** Scan parts (known once the first page arrived). */
  readonly parts: number | null;
  readonly partsDone: number;
  readonly batchesQueued: number;
  readonly batchesDone: number;
  readonly targeted: number;
  readonly sent: number;
  readonly scanRunId: string | null;
  readonly lanes: number | null;
}

export interface CampaignPerson extends TemplatePerson {
  readonly id: string;
}

export interface DeliveryRepository {
  campaign(id: string): Promise<Campaign | undefined>;
  /** The person as a template names them; undefined when the profile is gone, erasing or merged away. */
  person(customerId: string): Promise<CampaignPerson | undefined>;
  /** Priorities of the customer's cases that are not solved or closed. */
  openCasePriorities(customerId: string): Promise<Priority[]>;
  /** Marketing mail SES accepted for the customer since `since`: campaign messages and one-to-one marketing emails. */
  marketingSentSince(customerId: string, since: string): Promise<number>;
  /**
   * Writes the record if the customer has none for the campaign, with the erasure guard: `gone`
   * when the customer may not be written about (erased, being erased, merged away).
   */
  record(record: RecipientRecord): Promise<{ status: 'recorded' } | { status: 'exists'; existing: RecipientRecord } | { status: 'gone' }>;
  /** SES refused the claimed message: the record says so. */
  markFailed(customerId: string, campaignId: string, reason: string): Promise<void>;
  /** Takes back a claim SES never accepted (it kept throttling), so a later attempt can send. */
  release(customerId: string, campaignId: string, source: RecordSource): Promise<void>;
  /** The timeline entry of a message SES accepted (erasure guard: a person gone meanwhile gets none). */
  recordSent(sent: { record: RecipientRecord; topic: string; subject: string; messageId: string }): Promise<void>;
  /** The message id of a claimed record's timeline entry, if the send got that far. */
  sentMessageId(record: RecipientRecord): Promise<string | undefined>;

  /** Queues a scan page's batches and counts them, idempotent per (part, page): false when it was queued before. */
  queuePage(run: ScanRun, page: { part: number; page: number; last: boolean }, batches: readonly SendBatch[], lanes: number): Promise<boolean>;
  /** The batch as `status` with its counts and events, in one transaction; false when it was finished before. */
  finishBatch(batch: SendBatch, status: 'done' | 'cancelled', counts: OutcomeCounts, events: readonly DomainEvent[], context: CommandContext): Promise<boolean>;
  /** Sets a queued batch aside while its campaign is paused. */
  park(batch: SendBatch): Promise<void>;
  /** Puts the parked batches of the campaign back in their lanes, in order; how many. */
  requeue(campaignId: string, lanes: number): Promise<number>;
  /** Counts one triggered delivery on the report, with its events. */
  count(campaignId: string, counts: OutcomeCounts, events: readonly DomainEvent[], context: CommandContext): Promise<void>;

  progress(campaignId: string): Promise<Progress>;
  /** `scheduled` -> `running` with the report initialised and the events; false when the campaign changed meanwhile. */
  start(campaign: Campaign, at: string, events: readonly DomainEvent[], context: CommandContext): Promise<boolean>;
  scanStarted(campaignId: string, runId: string): Promise<void>;
  /** `running` -> `completed`, once (false: not running any more). */
  complete(campaign: Campaign, at: string, events: readonly DomainEvent[], context: CommandContext): Promise<boolean>;
}

/** What SES made of one message. */
export type MailResult =
  | { readonly status: 'accepted'; readonly messageId: string }
  /** Refused for good (rejected, bad address, ...): never retried. */
  | { readonly status: 'refused'; readonly reason: string }
  /** Not taken now (throttled, SES said it failed): safe to send again. */
  | { readonly status: 'retry' }
  /** No answer: it may or may not have gone out, so it is never sent again. */
  | { readonly status: 'unconfirmed' };

export interface CampaignMailer {
  send(message: EmailMessage): Promise<MailResult>;
}

/** The account's pace: waits before each message, and longer after a throttle. */
export interface Pacer {
  next(): Promise<void>;
  backOff(attempt: number): Promise<void>;
}
