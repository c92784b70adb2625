import type { Page } from '../customers/customer.repository.ts';
import type { CommandContext } from '../shared/ports.ts';
import type { Rule, Segment, SegmentPreview, Snapshot } from './segment.schema.ts';

// Ports of the segments use cases: where segments and snapshots are kept, and the scans over customers.

export interface SegmentRepository {
  /** Stores a new segment; with an idempotency claim, a retry gets the first result back (`replayed`). */
  create(segment: Segment, context: CommandContext): Promise<{ segment: Segment; replayed: boolean }>;
  get(id: string): Promise<Segment | undefined>;
  /** Newest first. */
  list(query: { limit: number; cursor?: string | undefined }): Promise<Page<Segment>>;
  /** Writes `next` if the stored one is still at `expectedVersion`; false when it moved. */
  replace(next: Segment, expectedVersion: number): Promise<boolean>;
  /** Deletes the segment if it is still at `expectedVersion`; false when it moved or is gone. */
  remove(id: string, expectedVersion: number): Promise<boolean>;
  /** Ids of campaigns that use the segment and are neither completed nor cancelled. */
  campaignsUsing(id: string): Promise<string[]>;
  /** Stores a new snapshot (status building); a retry with the same idempotency claim gets the first back. */
  createSnapshot(snapshot: Snapshot, context: CommandContext): Promise<{ snapshot: Snapshot; replayed: boolean }>;
  getSnapshot(segmentId: string, snapshotId: string): Promise<Snapshot | undefined>;
  /** The snapshot's members in scan order, `limit` ids at a time. */
  snapshotMembers(snapshotId: string, query: { limit: number; cursor?: string | undefined }): Promise<Page<{ customerId: string }>>;
}

export interface SegmentScans {
  /** Counts the members now and keeps the first `limit` of them (a parallel scan of all customers). */
  preview(rule: Rule, limit: number): Promise<SegmentPreview>;
}
