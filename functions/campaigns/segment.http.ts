import { SegmentNotFoundError, SnapshotNotFoundError } from '#domain/campaigns/segment.ts';
import type { Segment, Snapshot } from '#domain/campaigns/segment.schema.ts';
import type { ApiResult, HttpRequest } from '../shared/http-app.ts';
import { PathId } from '../shared/query.ts';
import { etag, json } from '../shared/request.ts';

// Path parameters and responses of the segment routes.

export const DEFAULT_PREVIEW_SIZE = 20;

export function segmentIdParam(request: HttpRequest): string {
  const id = request.params.id ?? '';
  if (!PathId.safeParse(id).success) throw new SegmentNotFoundError(id);
  return id;
}

export function snapshotIdParam(request: HttpRequest): string {
  const id = request.params.snapshotId ?? '';
  if (!PathId.safeParse(id).success) throw new SnapshotNotFoundError(segmentIdParam(request), id);
  return id;
}

export function segmentResponse(status: 200 | 201, segment: Segment): ApiResult {
  return json(status, segment, { etag: etag(segment.version), ...(status === 201 ? { location: `/segments/${encodeURIComponent(segment.id)}` } : {}) });
}

export function snapshotResponse(status: 200 | 202, snapshot: Snapshot): ApiResult {
  const location = `/segments/${encodeURIComponent(snapshot.segmentId)}/snapshots/${encodeURIComponent(snapshot.id)}`;
  return json(status, snapshot, status === 202 ? { location } : {});
}
