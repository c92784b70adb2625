import type { CommandContext } from '../shared/ports.ts';
import type { Outcome } from './campaign.schema.ts';

// The seams between the parts of the campaigns context, and to AWS's control plane. Each has a
// DynamoDB or AWS adapter in functions/campaigns and a local one (the local bus and scheduler
// answer the same AWS APIs, so the adapters are the same code).

/** A triggered campaign's own EventBridge rule on the crm bus (`campaign-<digest of the id>`), created on activate. */
export interface CampaignTriggers {
  /** Creates or replaces the rule with this pattern; its target gets `{campaignId, event}`. */
  enable(campaignId: string, pattern: Record<string, unknown>): Promise<void>;
  /** Removes the rule and its target; a rule that is not there is no error. */
  disable(campaignId: string): Promise<void>;
}

export type { OneOffSchedules, ScheduleTarget } from '../shared/ports.ts';

/** One parallel-scan run over all customers, evaluating a segment's rule page by page. */
export interface ScanRun {
  readonly runId: string;
  readonly purpose: 'snapshot' | 'campaign';
  readonly segmentId: string;
  /** The snapshot id or the campaign id. */
  readonly targetId: string;
  /** How many parallel scan parts (DynamoDB Scan TotalSegments). */
  readonly parts: number;
}

export interface MemberPage {
  readonly part: number;
  readonly page: number;
  readonly customerIds: readonly string[];
  /** The last page of its part (it may be empty). */
  readonly last: boolean;
}

/** Where a scan's members go: after a crash the same page comes again, so `accept` is idempotent per (part, page). */
export interface AudienceSink {
  accept(run: ScanRun, page: MemberPage, context: CommandContext): Promise<void>;
}

export interface Audience {
  /** Whether one customer is in the segment now: a few key reads, no scan. NotFoundError for an unknown segment. */
  includes(segmentId: string, customerId: string): Promise<boolean>;
  /** Starts a durable, resumable scan of all customers that hands the members to the sink of `purpose`. */
  startScan(run: Omit<ScanRun, 'runId' | 'parts'>, context: CommandContext): Promise<ScanRun>;
}

/**
 * Sends a campaign's message to one customer through the gate, at most once per customer and
 * campaign: `duplicate` when the customer has an outcome for it already, `not_sending` when the
 * campaign is not active (or running) any more.
 */
export interface CampaignDelivery {
  deliver(campaignId: string, customerId: string, context: CommandContext): Promise<Outcome | 'duplicate' | 'not_sending'>;
}

/** The running side of a campaign, as the API's pause and resume need it. */
export interface CampaignSending {
  /** Puts the batches a pause parked back in the queue (their lanes carry on where they stopped). */
  resume(campaignId: string): Promise<void>;
}
