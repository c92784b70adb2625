import type { Page } from '../customers/customer.repository.ts';
import { ConcurrentUpdateError, StaleVersionError } from '../shared/errors.ts';
import type { Clock, CommandContext, IdGenerator } from '../shared/ports.ts';
import type { Audience } from './campaign.ports.ts';
import { createSegment, replaceSegment, SegmentInUseError, SegmentNotFoundError, SnapshotNotFoundError } from './segment.ts';
import type { SegmentRepository, SegmentScans } from './segment.repository.ts';
import { assertUsableRule } from './segment-rule.ts';
import type { Rule, Segment, SegmentInput, SegmentPreview, Snapshot } from './segment.schema.ts';

export interface SegmentDeps {
  readonly segments: SegmentRepository;
  readonly scans: SegmentScans;
  readonly audience: Pick<Audience, 'startScan'>;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

export interface SegmentUseCases {
  create(input: SegmentInput, context: CommandContext): Promise<Segment>;
  get(id: string): Promise<Segment>;
  list(query: { limit: number; cursor?: string | undefined }): Promise<Page<Segment>>;
  replace(id: string, input: SegmentInput, ifMatch: number | undefined): Promise<Segment>;
  remove(id: string, ifMatch: number | undefined): Promise<void>;
  preview(id: string, limit: number): Promise<SegmentPreview>;
  /** The same count and sample for a rule that is not saved (checked like a saved one). */
  previewRule(rule: Rule, limit: number): Promise<SegmentPreview>;
  snapshot(id: string, context: CommandContext): Promise<Snapshot>;
  getSnapshot(id: string, snapshotId: string): Promise<Snapshot>;
  members(id: string, snapshotId: string, query: { limit: number; cursor?: string | undefined }): Promise<Page<{ customerId: string }>>;
}

export function segmentUseCases({ segments, scans, audience, clock, ids }: SegmentDeps): SegmentUseCases {
  async function existing(id: string): Promise<Segment> {
    const found = await segments.get(id);
    if (!found) throw new SegmentNotFoundError(id);
    return found;
  }

  function checkVersion(current: Segment, ifMatch: number | undefined) {
    if (ifMatch !== undefined && ifMatch !== current.version) throw new StaleVersionError(ifMatch, current.version);
  }

  async function snapshotOf(id: string, snapshotId: string): Promise<Snapshot> {
    const found = await segments.getSnapshot(id, snapshotId);
    if (!found) throw new SnapshotNotFoundError(id, snapshotId);
    return found;
  }

  return {
    async create(input, context) {
      return (await segments.create(createSegment(input, ids.next(), clock.now()), context)).segment;
    },

    get: existing,

    list: (query) => segments.list(query),

    async replace(id, input, ifMatch) {
      const current = await existing(id);
      checkVersion(current, ifMatch);
      const next = replaceSegment(current, input, clock.now());
      if (await segments.replace(next, current.version)) return next;
      throw ifMatch === undefined ? new ConcurrentUpdateError() : new StaleVersionError(ifMatch);
    },

    /** flow: 1. the version the caller read 2. no live campaign sends to it 3. delete if unchanged since */
    async remove(id, ifMatch) {
      const current = await existing(id);
      checkVersion(current, ifMatch);
      const using = await segments.campaignsUsing(id);
      if (using.length > 0) throw new SegmentInUseError(id, using);
      if (await segments.remove(id, current.version)) return;
      throw ifMatch === undefined ? new ConcurrentUpdateError() : new StaleVersionError(ifMatch);
    },

    async preview(id, limit) {
      return scans.preview((await existing(id)).rule, limit);
    },

    async previewRule(rule, limit) {
      assertUsableRule(rule);
      return scans.preview(rule, limit);
    },

    /**
     * flow: 1. the snapshot item (building), idempotently 2. the durable scan, whose start is
     * idempotent too: a retry, or a replay after a crash between 1 and 2, starts it (once).
     */
    async snapshot(id, context) {
      await existing(id);
      const snapshot: Snapshot = { id: ids.next(), segmentId: id, status: 'building', count: 0, createdAt: clock.now().toISOString(), completedAt: null };
      const { snapshot: kept } = await segments.createSnapshot(snapshot, context);
      await audience.startScan({ purpose: 'snapshot', segmentId: id, targetId: kept.id }, context);
      return kept;
    },

    getSnapshot: snapshotOf,

    async members(id, snapshotId, query) {
      await snapshotOf(id, snapshotId);
      return segments.snapshotMembers(snapshotId, query);
    },
  };
}
