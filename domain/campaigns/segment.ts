import { ConflictError, NotFoundError } from '../shared/errors.ts';
import { assertUsableRule } from './segment-rule.ts';
import type { Segment, SegmentInput } from './segment.schema.ts';

// Segment entity commands (pure): a rule is checked against the field catalog before it is kept.

export class SegmentNotFoundError extends NotFoundError {
  constructor(id: string) {
    super(`No segment with id ${id}.`);
  }
}

export class SnapshotNotFoundError extends NotFoundError {
  constructor(segmentId: string, snapshotId: string) {
    super(`Segment ${segmentId} has no snapshot ${snapshotId}.`);
  }
}

/** A campaign that is not completed or cancelled still sends to (or may send to) the segment. */
export class SegmentInUseError extends ConflictError {
  constructor(id: string, campaignIds: readonly string[]) {
    super(`Segment ${id} is the audience of campaign ${campaignIds.slice(0, 5).join(', ')}; complete or cancel it first.`);
  }
}

export function createSegment(input: SegmentInput, id: string, now: Date): Segment {
  assertUsableRule(input.rule);
  const at = now.toISOString();
  return { id, name: input.name, description: input.description ?? null, rule: input.rule, createdAt: at, updatedAt: at, version: 1 };
}

export function replaceSegment(current: Segment, input: SegmentInput, now: Date): Segment {
  assertUsableRule(input.rule);
  return { ...current, name: input.name, description: input.description ?? null, rule: input.rule, updatedAt: now.toISOString(), version: current.version + 1 };
}
