import type { CampaignRepository } from '../../domain/campaigns/campaign.repository.ts';
import type { Campaign, CampaignReport, Recipient } from '../../domain/campaigns/campaign.schema.ts';
import type { TemplatePerson } from '../../domain/campaigns/template.ts';
import type { Topic } from '../../domain/consent/consent.schema.ts';
import { ConcurrentUpdateError, IdempotencyKeyReusedError } from '../../domain/shared/errors.ts';
import type { CommandContext } from '../../domain/shared/ports.ts';
import type { DomainEvent } from '../../events/define-event.ts';
import { decodeCursor, encodeCursor } from '../../functions/shared/cursor.ts';
import type { CampaignLifecycle } from '../../functions/campaigns/campaigns.composition.ts';

// In-memory fakes of the campaign API's ports, honouring the DynamoDB adapter's contract:
// version- and status-conditional updates, idempotent creates, newest-first pages with cursors
// bound to their listing, a report of zeros until something is counted. Values are copied in and out.

const copy = <T>(value: T): T => structuredClone(value);

export interface CampaignCommit {
  readonly campaign: Campaign;
  readonly events: readonly DomainEvent[];
  readonly context: CommandContext;
}

export interface FakeCampaignRepository extends CampaignRepository {
  readonly commits: readonly CampaignCommit[];
  /** What another writer (the starter, the sender) does: a new status without a new version. */
  setStatus(id: string, status: Campaign['status']): void;
  setReport(id: string, report: Partial<CampaignReport>): void;
  addRecipient(campaignId: string, recipient: Recipient): void;
  addSegment(id: string): void;
  suppress(email: string): void;
  /** The next update fails as if another writer had committed first. */
  loseNextRace(): void;
}

export function fakeCampaignRepository(options: { topics?: readonly Topic[]; segments?: readonly string[]; people?: Readonly<Record<string, TemplatePerson>> } = {}): FakeCampaignRepository {
  const campaigns = new Map<string, Campaign>();
  const idempotency = new Map<string, { fingerprint: string; campaign: Campaign }>();
  const segments = new Set(options.segments ?? []);
  const suppressed = new Set<string>();
  const reports = new Map<string, Partial<CampaignReport>>();
  const recipients = new Map<string, Recipient[]>();
  const commits: CampaignCommit[] = [];
  let loseRace = false;

  function page<T>(name: string, sorted: T[], sortKey: (item: T) => string, limit: number, cursor?: string) {
    const after = cursor ? decodeCursor(name, cursor, { after: { startsWith: '' } }).after : undefined;
    const rest = after === undefined ? sorted : sorted.filter((item) => sortKey(item) < after);
    const items = rest.slice(0, limit);
    const more = rest.length > limit;
    return { items: copy(items), nextCursor: more ? encodeCursor(name, { after: sortKey(items.at(-1)!) }) : null };
  }

  return {
    get commits() {
      return commits;
    },
    async create(campaign, events, context) {
      const claim = context.idempotency;
      if (claim) {
        const first = idempotency.get(`${claim.scope}#${claim.key}`);
        if (first) {
          if (first.fingerprint !== claim.fingerprint) throw new IdempotencyKeyReusedError();
          return { campaign: copy(first.campaign), replayed: true };
        }
        idempotency.set(`${claim.scope}#${claim.key}`, { fingerprint: claim.fingerprint, campaign: copy(campaign) });
      }
      campaigns.set(campaign.id, copy(campaign));
      commits.push({ campaign: copy(campaign), events, context });
      return { campaign: copy(campaign), replayed: false };
    },
    async get(id) {
      const found = campaigns.get(id);
      return found ? copy(found) : undefined;
    },
    async list({ limit, cursor }) {
      const sorted = [...campaigns.values()].sort((a, b) => `${b.createdAt}#${b.id}`.localeCompare(`${a.createdAt}#${a.id}`));
      return page('campaigns', sorted, (c) => `${c.createdAt}#${c.id}`, limit, cursor);
    },
    async update(previous, next, events, context) {
      const stored = campaigns.get(previous.id);
      if (loseRace || !stored || stored.version !== previous.version || stored.status !== previous.status) {
        loseRace = false;
        throw new ConcurrentUpdateError();
      }
      campaigns.set(next.id, copy(next));
      commits.push({ campaign: copy(next), events, context });
    },
    async segmentExists(id) {
      return segments.has(id);
    },
    async topics() {
      return copy(options.topics ?? []);
    },
    async person(customerId) {
      const found = options.people?.[customerId];
      return found ? copy(found) : undefined;
    },
    async suppressed(email) {
      return suppressed.has(email.toLowerCase());
    },
    async report(id) {
      const counted = reports.get(id) ?? {};
      return { targeted: 0, sent: 0, held: 0, capped: 0, failed: 0, delivered: 0, bounced: 0, complained: 0, unsubscribed: 0, blocked: {}, ...copy(counted) };
    },
    async recipients(campaignId, { outcome, limit, cursor }) {
      const all = (recipients.get(campaignId) ?? []).filter((r) => !outcome || r.outcome === outcome);
      const sortKey = (r: Recipient) => `${r.outcome}#${r.customerId}`;
      const sorted = [...all].sort((a, b) => sortKey(b).localeCompare(sortKey(a)));
      return page(`recipients:${campaignId}:${outcome ?? '*'}`, sorted, sortKey, limit, cursor);
    },
    setStatus(id, status) {
      campaigns.set(id, { ...campaigns.get(id)!, status });
    },
    setReport(id, report) {
      reports.set(id, copy(report));
    },
    addRecipient(campaignId, recipient) {
      recipients.set(campaignId, [...(recipients.get(campaignId) ?? []), copy(recipient)]);
    },
    addSegment(id) {
      segments.add(id);
    },
    suppress(email) {
      suppressed.add(email.toLowerCase());
    },
    loseNextRace() {
      loseRace = true;
    },
  };
}

export type ControlCall =
  | { readonly port: 'triggers'; readonly op: 'enable'; readonly campaignId: string; readonly pattern: Record<string, unknown> }
  | { readonly port: 'triggers'; readonly op: 'disable'; readonly campaignId: string }
  | { readonly port: 'schedules'; readonly op: 'at'; readonly name: string; readonly at: string; readonly target: string; readonly input: Record<string, unknown> }
  | { readonly port: 'schedules'; readonly op: 'cancel'; readonly name: string }
  | { readonly port: 'sending'; readonly op: 'resume'; readonly campaignId: string };

/** The control ports, recording every call in order. */
export function fakeCampaignControl(): CampaignLifecycle & { readonly calls: ControlCall[] } {
  const calls: ControlCall[] = [];
  return {
    calls,
    triggers: {
      enable: async (campaignId, pattern) => void calls.push({ port: 'triggers', op: 'enable', campaignId, pattern }),
      disable: async (campaignId) => void calls.push({ port: 'triggers', op: 'disable', campaignId }),
    },
    schedules: {
      at: async (name, at, target, input) => void calls.push({ port: 'schedules', op: 'at', name, at, target, input }),
      cancel: async (name) => void calls.push({ port: 'schedules', op: 'cancel', name }),
    },
    sending: { resume: async (campaignId) => void calls.push({ port: 'sending', op: 'resume', campaignId }) },
  };
}
