import { CampaignCompleted } from '#events/campaign-completed.event.ts';
import { CampaignMessageSent } from '#events/campaign-message-sent.event.ts';
import { CampaignStarted } from '#events/campaign-started.event.ts';
import type { DomainEvent } from '#events/define-event.ts';
import type { Priority } from '../cases/case.schema.ts';
import type { EmailGate } from '../consent/email-gate.ts';
import type { TokenSigner } from '../consent/tokens.ts';
import type { Clock, CommandContext, IdGenerator } from '../shared/ports.ts';
import type { Campaign, HoldLevel, Outcome } from './campaign.schema.ts';
import type { Audience, AudienceSink, CampaignDelivery, CampaignSending, MemberPage, ScanRun } from './campaign.ports.ts';
import type { CampaignMailer, CampaignPerson, DeliveryRepository, OutcomeCounts, Pacer, RecipientRecord, RecordSource, SendBatch } from './delivery.repository.ts';
import { campaignMessage } from './template.ts';

// Campaign delivery: the scheduled start, the send batches the scan fills, the sender that works
// through them lane by lane, and the one-customer path of triggered campaigns. Per recipient, in
// this order: the consent gate, the open-case hold, the frequency cap, then the claim (one
// conditional write per customer and campaign, ever) and SES. Counts land on the report in the
// batch's last transaction, so a retried batch counts each recipient once.

export const BATCH_SIZE = 100;
/** Tries of one message while SES throttles, before the batch gives it back to the stream. */
export const THROTTLE_ATTEMPTS = 6;
const DAY_MS = 24 * 3600 * 1000;

export interface DeliveryDeps {
  readonly repo: DeliveryRepository;
  readonly gate: Pick<EmailGate, 'refusal'>;
  readonly mailer: CampaignMailer;
  readonly tokens: TokenSigner;
  readonly pacer: Pacer;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** Where unsubscribe links point (the public API's base URL). */
  readonly linkBase: () => string;
  /** Lanes of a campaign's send batches (each lane in order, the lanes in parallel). */
  readonly lanes: number;
  /** Recipients of one batch worked on at once (their reads overlap; the pacer still spaces the sends). */
  readonly concurrency?: number;
  readonly log?: (message: string, fields: Record<string, unknown>) => void;
}

/** A sender of a batch that SES keeps throttling: the stream retries the batch later. */
export class SesThrottledError extends Error {
  constructor() {
    super('SES kept throttling; the batch is retried later');
  }
}

const HOLDS: Record<HoldLevel, ReadonlySet<Priority>> = {
  urgent: new Set(['urgent']),
  high: new Set(['high', 'urgent']),
  any: new Set(['low', 'normal', 'high', 'urgent']),
};

/** Whether open cases of these priorities hold a campaign's mail at this level. */
export function holds(level: HoldLevel | null, openPriorities: readonly Priority[]): boolean {
  return level !== null && openPriorities.some((p) => HOLDS[level].has(p));
}

export const noCounts = (): OutcomeCounts => ({ targeted: 0, sent: 0, held: 0, capped: 0, failed: 0, blocked: {} });

function add(counts: OutcomeCounts, outcome: Outcome, reason: string | null): void {
  if (outcome === 'blocked') counts.blocked[reason ?? 'unknown'] = (counts.blocked[reason ?? 'unknown'] ?? 0) + 1;
  else counts[outcome]++;
}

/** Splits a page of members into batches of at most BATCH_SIZE ids, spread over the lanes. */
export function batchesOf(run: ScanRun, page: MemberPage, lanes: number): SendBatch[] {
  const batches: SendBatch[] = [];
  for (let chunk = 0; chunk * BATCH_SIZE < page.customerIds.length; chunk++) {
    const lane = (page.part + page.page + chunk) % lanes;
    batches.push({ campaignId: run.targetId, lane, id: batchId(page.part, page.page, chunk), customerIds: page.customerIds.slice(chunk * BATCH_SIZE, (chunk + 1) * BATCH_SIZE) });
  }
  return batches;
}

/** The batch's sort key (same fixed widths as sendBatchKey). */
export function batchId(part: number, page: number, chunk: number): string {
  return [part, page, chunk].map((n) => String(n).padStart(6, '0')).join('#');
}

/**
 * Runs `work` on every item, at most `limit` at a time. Every item is tried even when one fails
 * (what was done is then counted by the retry); the first failure is thrown at the end.
 */
async function eachAtOnce<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item).catch((error: unknown) => failures.push(error));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  if (failures.length) throw failures[0];
}

type Step = { outcome: Outcome; reason: string | null; messageId?: string } | { outcome: 'duplicate' };

export function deliveryUseCases(deps: DeliveryDeps) {
  const { repo, gate, mailer, tokens, pacer, clock, ids } = deps;
  const log = deps.log ?? (() => undefined);

  /** The checks before the claim: gate, hold, cap. undefined: it may be sent. */
  async function refusal(campaign: Campaign, customerId: string, person: CampaignPerson | undefined): Promise<{ outcome: Outcome; reason: string } | undefined> {
    // The profile read for the message is the gate's recipient too (one read per recipient, not two).
    const message = { kind: 'marketing' as const, customerId, topic: campaign.topic, to: person ? [person.email] : [], subject: campaign.template.subject, text: '' };
    const refused = await gate.refusal(message, person ?? 'erased');
    if (refused) return { outcome: 'blocked', reason: refused };
    if (campaign.holdIfOpenCase && holds(campaign.holdIfOpenCase, await repo.openCasePriorities(customerId))) return { outcome: 'held', reason: 'open_case' };
    if (campaign.frequencyCap) {
      const since = new Date(clock.now().getTime() - campaign.frequencyCap.perDays * DAY_MS).toISOString();
      if ((await repo.marketingSentSince(customerId, since)) >= campaign.frequencyCap.max) return { outcome: 'capped', reason: 'frequency_cap' };
    }
    return undefined;
  }

  /** An existing record: this source's own earlier attempt is counted now (it was not yet); anyone else's is a duplicate. */
  async function earlier(existing: RecipientRecord, source: RecordSource): Promise<Step> {
    // A one-customer delivery counts in its own steps: a repeated one counts nothing again.
    if (existing.source !== source || source === 'deliver') return { outcome: 'duplicate' };
    if (existing.outcome !== 'sent') return { outcome: existing.outcome, reason: existing.reason };
    const messageId = await repo.sentMessageId(existing);
    return { outcome: 'sent', reason: null, ...(messageId ? { messageId } : {}) };
  }

  /** One recipient, at most once: the gate's checks, the record (the claim), SES, the timeline entry. */
  async function one(campaign: Campaign, customerId: string, source: RecordSource): Promise<Step> {
    const person = await repo.person(customerId);
    const refused = await refusal(campaign, customerId, person);
    const at = clock.now().toISOString();
    const base = { customerId, campaignId: campaign.id, at, source };
    if (refused || !person) {
      const { outcome, reason } = refused ?? { outcome: 'blocked' as const, reason: 'erased' };
      const written = await repo.record({ ...base, outcome, reason, entryId: null });
      if (written.status === 'exists') return earlier(written.existing, source);
      return { outcome, reason };
    }
    const claim: RecipientRecord = { ...base, outcome: 'sent', reason: null, entryId: ids.next() };
    const claimed = await repo.record(claim);
    if (claimed.status === 'exists') return earlier(claimed.existing, source);
    if (claimed.status === 'gone') return { outcome: 'blocked', reason: 'erased' };

    const token = await tokens.sign({ purpose: 'unsubscribe', customerId, topic: campaign.topic, id: ids.next(), campaignId: campaign.id });
    const message = campaignMessage(campaign.template, person, `${deps.linkBase()}/unsubscribe?token=${encodeURIComponent(token)}`);
    for (let attempt = 1; ; attempt++) {
      await pacer.next();
      const result = await mailer.send({
        to: [person.email],
        subject: message.subject,
        text: message.text,
        ...(message.html ? { html: message.html } : {}),
        kind: 'marketing',
        // The header lets the local SES simulator read the campaign back as the tag SES would carry.
        headers: { ...message.headers, 'X-Campaign-Id': campaign.id },
        tags: { campaign: campaign.id, kind: 'marketing' },
      });
      if (result.status === 'accepted') {
        await repo.recordSent({ record: claim, topic: campaign.topic, subject: message.subject, messageId: result.messageId });
        return { outcome: 'sent', reason: null, messageId: result.messageId };
      }
      if (result.status === 'refused' || result.status === 'unconfirmed') {
        const reason = result.status === 'refused' ? result.reason : 'unconfirmed';
        await repo.markFailed(customerId, campaign.id, reason);
        return { outcome: 'failed', reason };
      }
      if (attempt >= THROTTLE_ATTEMPTS) {
        await repo.release(customerId, campaign.id, source);
        throw new SesThrottledError();
      }
      await pacer.backOff(attempt);
    }
  }

  async function completeIfDone(campaignId: string, context: CommandContext): Promise<boolean> {
    const progress = await repo.progress(campaignId);
    if (progress.parts === null || progress.partsDone < progress.parts || progress.batchesDone < progress.batchesQueued) return false;
    const campaign = await repo.campaign(campaignId);
    if (!campaign || campaign.status !== 'running') return false;
    const completed = CampaignCompleted.of({ campaignId, targeted: progress.targeted, sent: progress.sent });
    return repo.complete(campaign, clock.now().toISOString(), [completed], context);
  }

  const sink: AudienceSink = {
    async accept(run, page, context) {
      if (run.purpose !== 'campaign') throw new Error(`the campaign sink got a ${run.purpose} scan`);
      const lanes = (await repo.progress(run.targetId)).lanes ?? deps.lanes;
      await repo.queuePage(run, page, batchesOf(run, page, lanes), lanes);
      if (page.last) await completeIfDone(run.targetId, context);
    },
  };

  return {
    sink,

    /**
     * flow: 1. only a scheduled campaign whose time has come starts (running, report, CampaignStarted
     * in one transaction) 2. the scan of its segment as it is now. A retry after a crash between
     * the two finds it running without a scan and starts the scan (the scan's run id is
     * deterministic, so a start that did happen is not repeated).
     */
    async start(campaignId: string, audience: Audience, context: CommandContext): Promise<'started' | 'resumed' | 'ignored'> {
      const campaign = await repo.campaign(campaignId);
      const now = clock.now();
      if (campaign?.status === 'scheduled' && campaign.schedule && new Date(campaign.schedule.at) <= now) {
        const started = await repo.start(campaign, now.toISOString(), [CampaignStarted.of({ campaignId, segmentId: campaign.audience.segmentId })], context);
        if (!started) return 'ignored';
        const run = await audience.startScan({ purpose: 'campaign', segmentId: campaign.audience.segmentId, targetId: campaignId }, context);
        await repo.scanStarted(campaignId, run.runId);
        return 'started';
      }
      if (campaign?.status === 'running' && campaign.schedule && (await repo.progress(campaignId)).scanRunId === null) {
        const run = await audience.startScan({ purpose: 'campaign', segmentId: campaign.audience.segmentId, targetId: campaignId }, context);
        await repo.scanStarted(campaignId, run.runId);
        return 'resumed';
      }
      log('campaign not started', { campaignId, status: campaign?.status ?? 'missing' });
      return 'ignored';
    },

    /** One queued batch: sent (running), parked (paused) or dropped (cancelled or over); counted once. */
    async sendBatch(batch: SendBatch, context: CommandContext): Promise<'done' | 'parked' | 'cancelled' | 'duplicate'> {
      const campaign = await repo.campaign(batch.campaignId);
      if (campaign?.status === 'paused') {
        await repo.park(batch);
        // A resume that looked for parked batches just before this one was parked would miss it.
        if ((await repo.campaign(batch.campaignId))?.status === 'running') await repo.requeue(batch.campaignId, (await repo.progress(batch.campaignId)).lanes ?? deps.lanes);
        return 'parked';
      }
      if (campaign?.status !== 'running') {
        log('batch dropped', { campaignId: batch.campaignId, batch: batch.id, status: campaign?.status ?? 'missing' });
        const finished = await repo.finishBatch(batch, 'cancelled', noCounts(), [], context);
        return finished ? 'cancelled' : 'duplicate';
      }
      const counts = noCounts();
      const events: DomainEvent[] = [];
      const source: RecordSource = `batch:${batch.id}`;
      await eachAtOnce([...new Set(batch.customerIds)], deps.concurrency ?? 1, async (customerId) => {
        const step = await one(campaign, customerId, source);
        if (step.outcome === 'duplicate') return;
        add(counts, step.outcome, step.reason);
        if (step.outcome === 'sent' && step.messageId) events.push(CampaignMessageSent.of({ campaignId: campaign.id, customerId, messageId: step.messageId }));
      });
      const finished = await repo.finishBatch(batch, 'done', counts, events, context);
      if (finished) await completeIfDone(batch.campaignId, context);
      return finished ? 'done' : 'duplicate';
    },

    sending: {
      /** Call once the campaign is `running` again. A pause that came after the last batch finished leaves nothing parked: it completes here. */
      async resume(campaignId: string) {
        const requeued = await repo.requeue(campaignId, (await repo.progress(campaignId)).lanes ?? deps.lanes);
        if (requeued === 0) await completeIfDone(campaignId, { correlationId: `campaign-resume:${campaignId}` });
      },
    } satisfies CampaignSending,

    delivery: {
      async deliver(campaignId, customerId, context) {
        const campaign = await repo.campaign(campaignId);
        if (!campaign || (campaign.status !== 'active' && campaign.status !== 'running')) return 'not_sending';
        const step = await one(campaign, customerId, 'deliver');
        if (step.outcome === 'duplicate') return 'duplicate';
        const counts = noCounts();
        counts.targeted = 1;
        add(counts, step.outcome, step.reason);
        const events = step.outcome === 'sent' && step.messageId ? [CampaignMessageSent.of({ campaignId, customerId, messageId: step.messageId })] : [];
        await repo.count(campaignId, counts, events, context);
        return step.outcome;
      },
    } satisfies CampaignDelivery,
  };
}

export type DeliveryUseCases = ReturnType<typeof deliveryUseCases>;
