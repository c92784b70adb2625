import type { AnalyticsPurchase } from '../../domain/analytics/analytics-purchase.ts';
import type { AnalyticsJob, ClvModel, CustomerScores } from '../../domain/analytics/clv-model.schema.ts';
import { type ClvDeps, clvUseCases } from '../../domain/analytics/clv-fit.use-cases.ts';
import type { CommandContext } from '../../domain/shared/ports.ts';
import type { ChannelCounts } from '../../domain/analytics/customer-segments.ts';
import type { Segmentation } from '../../domain/analytics/segmentation.schema.ts';
import type { PurchaseFeedStore } from '../../domain/analytics/purchase-feed.use-cases.ts';

/** The purchase feed's store in memory: one item per customer, day and interaction; customers in `gone` refuse writes. */
export function memoryPurchaseFeed(gone: Set<string> = new Set()) {
  const items = new Map<string, AnalyticsPurchase>();
  const store: PurchaseFeedStore = {
    async record(p) {
      if (gone.has(p.customerId)) return 'customer-gone';
      const key = `${p.customerId}|${p.day}|${p.interactionId}`;
      if (items.has(key)) return 'duplicate';
      items.set(key, p);
      return 'recorded';
    },
  };
  return { items, store };
}

/** The analytics ports in memory: purchases, model, scores (customers in `gone` refuse writes), jobs with the events they requested, channel counts (customers in `gone` have none), segmentation. */
export function analyticsFakes(purchases: AnalyticsPurchase[] = [], options: { now?: string; currency?: string; pageSize?: number } = {}) {
  const state = {
    purchases,
    model: undefined as ClvModel | undefined,
    scores: new Map<string, CustomerScores>(),
    jobs: new Map<string, AnalyticsJob>(),
    requested: [] as { jobId: string; context: CommandContext }[],
    gone: new Set<string>(),
    channels: new Map<string, ChannelCounts>(),
    segmentation: undefined as Segmentation | undefined,
    mixReads: [] as number[],
    now: new Date(options.now ?? '2026-12-01T10:00:00.000Z'),
  };
  let serial = 0;
  const pageSize = options.pageSize ?? 1000;
  const deps: ClvDeps = {
    purchases: {
      async *upTo(asOf) {
        const all = state.purchases.filter((p) => p.day <= asOf);
        for (let i = 0; i < all.length; i += pageSize) yield all.slice(i, i + pageSize);
      },
      async ofCustomer(customerId) {
        return state.purchases.filter((p) => p.customerId === customerId);
      },
    },
    models: {
      async current() {
        return state.model;
      },
      async save(model) {
        state.model = model;
      },
    },
    scores: {
      async get(customerId) {
        return state.scores.get(customerId);
      },
      async saveAll(list) {
        let written = 0;
        for (const s of list) {
          if (state.gone.has(s.customerId)) continue;
          state.scores.set(s.customerId, s);
          written++;
        }
        return written;
      },
    },
    jobs: {
      async create(job, context) {
        state.jobs.set(job.jobId, job);
        state.requested.push({ jobId: job.jobId, context });
      },
      async get(jobId) {
        return state.jobs.get(jobId);
      },
      async save(job) {
        state.jobs.set(job.jobId, job);
      },
      async replace(previous, next) {
        const now = state.jobs.get(previous.jobId);
        if (!now || now.status !== previous.status || now.startedAt !== previous.startedAt) return false;
        state.jobs.set(next.jobId, next);
        return true;
      },
    },
    clock: { now: () => state.now },
    ids: { next: () => `job-${++serial}` },
    currency: options.currency ?? 'USD',
    lease: { timeoutSeconds: 900, attempts: 3 },
    mix: {
      async channelCounts(customerIds) {
        state.mixReads.push(customerIds.length);
        return new Map(customerIds.filter((id) => !state.gone.has(id)).map((id) => [id, state.channels.get(id) ?? {}]));
      },
    },
    segmentation: {
      async current() {
        return state.segmentation;
      },
      async save(segmentation) {
        state.segmentation = segmentation;
      },
    },
  };
  return { state, deps, clv: clvUseCases(deps) };
}
