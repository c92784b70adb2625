import type { Audience, ScanRun } from '../../domain/campaigns/campaign.ports.ts';
import type { SegmentRepository, SegmentScans } from '../../domain/campaigns/segment.repository.ts';
import type { Rule, Segment, Snapshot } from '../../domain/campaigns/segment.schema.ts';
import { IdempotencyKeyReusedError } from '../../domain/shared/errors.ts';

// In-memory segments for the handler tier: the same contract as the DynamoDB repository
// (conditional writes by version, idempotency claims replaying the first result).

export interface FakeSegments extends SegmentRepository {
  readonly segments: Map<string, Segment>;
  readonly snapshots: Map<string, Snapshot>;
  /** Campaigns that still use a segment, by segment id. */
  readonly using: Map<string, string[]>;
}

export function fakeSegmentRepository(): FakeSegments {
  const segments = new Map<string, Segment>();
  const snapshots = new Map<string, Snapshot>();
  const using = new Map<string, string[]>();
  const claims = new Map<string, { fingerprint: string; result: unknown }>();

  function once<T>(context: { idempotency?: { scope: string; key: string; fingerprint: string } }, result: T, store: () => void) {
    const claim = context.idempotency;
    if (claim) {
      const first = claims.get(`${claim.scope}#${claim.key}`);
      if (first) {
        if (first.fingerprint !== claim.fingerprint) throw new IdempotencyKeyReusedError();
        return { result: structuredClone(first.result) as T, replayed: true };
      }
      claims.set(`${claim.scope}#${claim.key}`, { fingerprint: claim.fingerprint, result: structuredClone(result) });
    }
    store();
    return { result, replayed: false };
  }

  return {
    segments,
    snapshots,
    using,
    async create(segment, context) {
      const { result, replayed } = once(context, segment, () => segments.set(segment.id, segment));
      return { segment: result, replayed };
    },
    get: async (id) => segments.get(id),
    async list({ limit }) {
      const items = [...segments.values()].sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, limit);
      return { items, nextCursor: null };
    },
    async replace(next, expectedVersion) {
      if (segments.get(next.id)?.version !== expectedVersion) return false;
      segments.set(next.id, next);
      return true;
    },
    async remove(id, expectedVersion) {
      if (segments.get(id)?.version !== expectedVersion) return false;
      segments.delete(id);
      return true;
    },
    campaignsUsing: async (id) => using.get(id) ?? [],
    async createSnapshot(snapshot, context) {
      const { result, replayed } = once(context, snapshot, () => snapshots.set(snapshot.id, snapshot));
      return { snapshot: result, replayed };
    },
    getSnapshot: async (segmentId, snapshotId) => {
      const found = snapshots.get(snapshotId);
      return found?.segmentId === segmentId ? found : undefined;
    },
    snapshotMembers: async () => ({ items: [], nextCursor: null }),
  };
}

/** Records what it was asked; previews answer with a fixed count. */
export function fakeScans() {
  const previews: { rule: Rule; limit: number }[] = [];
  const started: Omit<ScanRun, 'runId' | 'parts'>[] = [];
  const scans: SegmentScans = {
    async preview(rule, limit) {
      previews.push({ rule, limit });
      return { count: 7, sample: [] };
    },
  };
  const audience: Pick<Audience, 'startScan'> = {
    async startScan(run) {
      started.push(run);
      return { ...run, runId: `${run.purpose}-${run.targetId}`, parts: 4 };
    },
  };
  return { scans, audience, previews, started };
}
