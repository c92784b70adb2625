import type { Priority } from '../../domain/cases/case.schema.ts';
import type { Campaign } from '../../domain/campaigns/campaign.schema.ts';
import type { Audience, ScanRun } from '../../domain/campaigns/campaign.ports.ts';
import type {
  CampaignMailer,
  CampaignPerson,
  DeliveryRepository,
  MailResult,
  OutcomeCounts,
  Pacer,
  Progress,
  RecipientRecord,
  SendBatch,
} from '../../domain/campaigns/delivery.repository.ts';
import type { TokenPayload, TokenSigner } from '../../domain/consent/tokens.ts';
import type { EmailMessage } from '../../domain/shared/email.ts';
import type { DomainEvent } from '../../events/define-event.ts';

// An in-memory DeliveryRepository honouring the DynamoDB adapter's contract
// (functions/campaigns/delivery.dynamodb-repository.ts): one record per customer and campaign
// (`record` answers `exists` with the one there), `gone` for people who may not be written about,
// `finishBatch` only from `queued` (false otherwise), counters added only there and by `count`,
// conditional state moves of the campaign. Values are copied in and out.

const copy = <T>(value: T): T => structuredClone(value);

export interface FakeDeliveryRepository extends DeliveryRepository {
  readonly campaigns: Map<string, Campaign>;
  readonly people: Map<string, CampaignPerson>;
  /** Customers gone (erased or merged away): no record is written about them. */
  readonly gone: Set<string>;
  readonly cases: Map<string, Priority[]>;
  /** Marketing mail sent before, per customer: when it went. */
  readonly earlierMail: Map<string, string[]>;
  readonly records: Map<string, RecipientRecord>;
  readonly timeline: Map<string, { messageId: string; topic: string }>;
  readonly batches: Map<string, { batch: SendBatch; status: string }>;
  readonly reports: Map<string, Record<string, number | string>>;
  /** The events of every committed write, in order. */
  readonly events: DomainEvent[];
  /** The next finishBatch throws (a crash before the batch's last transaction). */
  crashNextFinish(): void;
}

export function fakeDeliveryRepository(): FakeDeliveryRepository {
  const campaigns = new Map<string, Campaign>();
  const people = new Map<string, CampaignPerson>();
  const gone = new Set<string>();
  const cases = new Map<string, Priority[]>();
  const earlierMail = new Map<string, string[]>();
  const records = new Map<string, RecipientRecord>();
  const timeline = new Map<string, { messageId: string; topic: string }>();
  const batches = new Map<string, { batch: SendBatch; status: string }>();
  const reports = new Map<string, Record<string, number | string>>();
  const events: DomainEvent[] = [];
  let crash = false;

  const key = (customerId: string, campaignId: string) => `${customerId}|${campaignId}`;
  const batchKey = (b: Pick<SendBatch, 'campaignId' | 'lane' | 'id'>) => `${b.campaignId}#${b.lane}|${b.id}`;
  const report = (campaignId: string) => {
    if (!reports.has(campaignId)) reports.set(campaignId, {});
    return reports.get(campaignId)!;
  };
  function addCounts(campaignId: string, counts: Partial<OutcomeCounts> | Record<string, unknown>) {
    const r = report(campaignId);
    for (const [name, n] of Object.entries(counts)) {
      if (name === 'blocked') for (const [reason, m] of Object.entries(n as Record<string, number>)) r[`blocked_${reason}`] = Number(r[`blocked_${reason}`] ?? 0) + m;
      else if (typeof n === 'number' && n) r[name] = Number(r[name] ?? 0) + n;
    }
  }
  function move(campaign: Campaign, from: string, to: Campaign['status'], at: string, stamp: 'startedAt' | 'completedAt') {
    const current = campaigns.get(campaign.id);
    if (!current || current.status !== from || current.version !== campaign.version) return false;
    campaigns.set(campaign.id, { ...current, status: to, [stamp]: at, updatedAt: at, version: current.version + 1 });
    return true;
  }

  return {
    campaigns,
    people,
    gone,
    cases,
    earlierMail,
    records,
    timeline,
    batches,
    reports,
    events,
    crashNextFinish() {
      crash = true;
    },

    async campaign(id) {
      return copy(campaigns.get(id));
    },
    async person(customerId) {
      return gone.has(customerId) ? undefined : copy(people.get(customerId));
    },
    async openCasePriorities(customerId) {
      return [...(cases.get(customerId) ?? [])];
    },
    async marketingSentSince(customerId, since) {
      const campaignMail = [...records.values()].filter((r) => r.customerId === customerId && r.outcome === 'sent' && r.at >= since).length;
      return campaignMail + (earlierMail.get(customerId) ?? []).filter((at) => at >= since).length;
    },
    async record(record) {
      const existing = records.get(key(record.customerId, record.campaignId));
      if (existing) return { status: 'exists', existing: copy(existing) };
      if (gone.has(record.customerId) || !people.has(record.customerId)) return { status: 'gone' };
      records.set(key(record.customerId, record.campaignId), copy(record));
      return { status: 'recorded' };
    },
    async markFailed(customerId, campaignId, reason) {
      const r = records.get(key(customerId, campaignId));
      if (r) records.set(key(customerId, campaignId), { ...r, outcome: 'failed', reason });
    },
    async release(customerId, campaignId, source) {
      const r = records.get(key(customerId, campaignId));
      if (r && r.source === source && r.outcome === 'sent') records.delete(key(customerId, campaignId));
    },
    async recordSent({ record, topic, messageId }) {
      if (!gone.has(record.customerId)) timeline.set(`${record.customerId}|${record.at}|${record.entryId}`, { messageId, topic });
    },
    async sentMessageId(record) {
      return timeline.get(`${record.customerId}|${record.at}|${record.entryId}`)?.messageId;
    },
    async queuePage(run, page, list, lanes) {
      if (list.some((b) => batches.has(batchKey(b)))) return false;
      const marker = `${run.targetId}#pages|${page.part}#${page.page}`;
      if (list.length === 0 && batches.has(marker)) return false;
      if (list.length === 0) batches.set(marker, { batch: { campaignId: run.targetId, lane: -1, id: marker, customerIds: [] }, status: 'empty' });
      for (const b of list) batches.set(batchKey(b), { batch: copy(b), status: 'queued' });
      const r = report(run.targetId);
      r.parts = run.parts;
      r.lanes ??= lanes;
      addCounts(run.targetId, { targeted: list.reduce((n, b) => n + b.customerIds.length, 0), batchesQueued: list.length, partsDone: page.last ? 1 : 0 });
      return true;
    },
    async finishBatch(batch, status, counts, list) {
      if (crash) {
        crash = false;
        throw new Error('crashed before the batch was finished');
      }
      const stored = batches.get(batchKey(batch));
      if (stored && stored.status !== 'queued') return false;
      batches.set(batchKey(batch), { batch: copy(batch), status });
      addCounts(batch.campaignId, { ...counts, batchesDone: 1 });
      events.push(...list);
      return true;
    },
    async park(batch) {
      const stored = batches.get(batchKey(batch));
      if (!stored || stored.status === 'queued') batches.set(batchKey(batch), { batch: copy(batch), status: 'parked' });
    },
    async requeue(campaignId) {
      let n = 0;
      for (const stored of [...batches.values()].filter((b) => b.batch.campaignId === campaignId && b.status === 'parked').sort((a, b) => a.batch.id.localeCompare(b.batch.id))) {
        stored.status = 'queued';
        n++;
      }
      return n;
    },
    async count(campaignId, counts, list) {
      addCounts(campaignId, counts);
      events.push(...list);
    },
    async progress(campaignId): Promise<Progress> {
      const r = report(campaignId);
      const n = (name: string) => Number(r[name] ?? 0);
      return {
        parts: typeof r.parts === 'number' ? r.parts : null,
        partsDone: n('partsDone'),
        batchesQueued: n('batchesQueued'),
        batchesDone: n('batchesDone'),
        targeted: n('targeted'),
        sent: n('sent'),
        scanRunId: typeof r.scanRunId === 'string' ? r.scanRunId : null,
        lanes: typeof r.lanes === 'number' ? r.lanes : null,
      };
    },
    async start(campaign, at, list) {
      if (!move(campaign, 'scheduled', 'running', at, 'startedAt')) return false;
      report(campaign.id);
      events.push(...list);
      return true;
    },
    async scanStarted(campaignId, runId) {
      report(campaignId).scanRunId = runId;
    },
    async complete(campaign, at, list) {
      if (!move(campaign, 'running', 'completed', at, 'completedAt')) return false;
      events.push(...list);
      return true;
    },
  };
}

/** A CampaignMailer that answers from a script per address (accepted when nothing is scripted) and keeps what it was asked. */
export function scriptedMailer() {
  const script = new Map<string, MailResult[]>();
  const asked: EmailMessage[] = [];
  let n = 0;
  const mailer: CampaignMailer & { asked: EmailMessage[]; answer(address: string, ...results: MailResult[]): void; accepted(): EmailMessage[] } = {
    asked,
    answer(address, ...results) {
      script.set(address, results);
    },
    accepted() {
      return asked.filter((m) => (m as EmailMessage & { accepted?: boolean }).accepted);
    },
    async send(message) {
      const queue = script.get(message.to[0]!) ?? [];
      const result = queue.shift() ?? { status: 'accepted', messageId: `ses-${++n}` };
      asked.push({ ...message, ...(result.status === 'accepted' ? { accepted: true } : {}) } as EmailMessage);
      return result;
    },
  };
  return mailer;
}

export const jsonTokens: TokenSigner = {
  sign: async (payload) => Buffer.from(JSON.stringify(payload)).toString('base64url'),
  verify: async (token) => JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as TokenPayload,
};

export function countingPacer(): Pacer & { waits: number; backOffs: number[] } {
  const pacer = {
    waits: 0,
    backOffs: [] as number[],
    async next() {
      pacer.waits++;
    },
    async backOff(attempt: number) {
      pacer.backOffs.push(attempt);
    },
  };
  return pacer;
}

export function fakeAudience(): Audience & { scans: Omit<ScanRun, 'runId' | 'parts'>[] } {
  const scans: Omit<ScanRun, 'runId' | 'parts'>[] = [];
  return {
    scans,
    async includes() {
      return true;
    },
    async startScan(run) {
      scans.push(run);
      return { ...run, runId: `run-${run.targetId}`, parts: 2 };
    },
  };
}

export function campaignOf(overrides: Partial<Campaign> = {}): Campaign {
  return {
    id: 'cmp-1',
    name: 'Spring',
    topic: 'newsletter',
    template: { subject: 'Hello {{firstName|there}}', text: 'Offers for {{firstName|you}}', html: '<p>Hi {{firstName}}</p>' },
    audience: { segmentId: 'seg-1' },
    schedule: { at: '2025-01-15T08:00:00.000Z' },
    trigger: null,
    holdIfOpenCase: null,
    frequencyCap: null,
    status: 'running',
    pausedFrom: null,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    startedAt: '2025-01-15T08:00:00.000Z',
    completedAt: null,
    version: 3,
    ...overrides,
  };
}
