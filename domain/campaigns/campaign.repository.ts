import type { DomainEvent } from '#events/define-event.ts';
import type { Topic } from '../consent/consent.schema.ts';
import type { Page } from '../customers/customer.repository.ts';
import type { CommandContext } from '../shared/ports.ts';
import type { Campaign, CampaignReport, Outcome, Recipient } from './campaign.schema.ts';
import type { TemplatePerson } from './template.ts';

/** Persistence port of the campaign API: the campaign item, and what it reads of other contexts. */
export interface CampaignRepository {
  /** With an idempotency claim used before: writes nothing and returns the first result (`replayed`). */
  create(campaign: Campaign, events: DomainEvent[], context: CommandContext): Promise<{ campaign: Campaign; replayed: boolean }>;
  get(id: string): Promise<Campaign | undefined>;
  list(query: { limit: number; cursor?: string | undefined }): Promise<Page<Campaign>>;
  /** Commits `next` and its events if the stored campaign is still `previous` (version and status); else ConcurrentUpdateError. */
  update(previous: Campaign, next: Campaign, events: DomainEvent[], context: CommandContext): Promise<void>;
  segmentExists(segmentId: string): Promise<boolean>;
  /** The consent context's topics. */
  topics(): Promise<readonly Topic[]>;
  /** A customer as a template sees them; undefined when unknown, erased (or being erased) or merged away. */
  person(customerId: string): Promise<TemplatePerson | undefined>;
  /** Whether the consent context suppresses this address (hard bounce, complaint). */
  suppressed(email: string): Promise<boolean>;
  /** From the campaign's counters; zeros before anything was counted. */
  report(campaignId: string): Promise<CampaignReport>;
  recipients(campaignId: string, query: { outcome?: Outcome | undefined; limit: number; cursor?: string | undefined }): Promise<Page<Recipient>>;
}
