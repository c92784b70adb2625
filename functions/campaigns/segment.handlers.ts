import { RulePreviewInput, SegmentInput } from '#domain/campaigns/segment.schema.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { DEFAULT_PAGE_SIZE } from '../shared/query.ts';
import { idempotencyClaim, ifMatchVersion, json, jsonBody, noContent, queryParams } from '../shared/request.ts';
import { type CampaignsApp, PageQuery, PreviewQuery } from './campaign.http.ts';
import { DEFAULT_PREVIEW_SIZE, segmentIdParam, segmentResponse, snapshotIdParam, snapshotResponse } from './segment.http.ts';

type Handler = RouteHandler<CampaignsApp>;
const READ_ONLY = ['id', 'version', 'createdAt', 'updatedAt'];
const contextOf = (request: Parameters<Handler>[0], path: string) => {
  const idempotency = idempotencyClaim(request, path);
  return { correlationId: request.correlationId, ...(idempotency ? { idempotency } : {}) };
};

const createSegment: Handler = async (request, app) => {
  const input = jsonBody(request, SegmentInput, READ_ONLY);
  return segmentResponse(201, await app.segments.create(input, contextOf(request, '/segments')));
};

const listSegments: Handler = async (request, app) => {
  const { limit, cursor } = queryParams(request, PageQuery);
  return json(200, await app.segments.list({ limit: limit ?? DEFAULT_PAGE_SIZE, cursor }));
};

const getSegment: Handler = async (request, app) => segmentResponse(200, await app.segments.get(segmentIdParam(request)));

const putSegment: Handler = async (request, app) => {
  const id = segmentIdParam(request);
  const ifMatch = ifMatchVersion(request);
  const input = jsonBody(request, SegmentInput, READ_ONLY);
  return segmentResponse(200, await app.segments.replace(id, input, ifMatch));
};

const deleteSegment: Handler = async (request, app) => {
  const id = segmentIdParam(request);
  await app.segments.remove(id, ifMatchVersion(request));
  return noContent();
};

const previewSegment: Handler = async (request, app) => {
  const id = segmentIdParam(request);
  const { limit } = queryParams(request, PreviewQuery);
  return json(200, await app.segments.preview(id, limit ?? DEFAULT_PREVIEW_SIZE));
};

/** A rule not saved yet: what the segment editor counts while the rule is written. */
const previewRule: Handler = async (request, app) => {
  const { limit } = queryParams(request, PreviewQuery);
  const { rule } = jsonBody(request, RulePreviewInput);
  return json(200, await app.segments.previewRule(rule, limit ?? DEFAULT_PREVIEW_SIZE));
};

const createSnapshot: Handler = async (request, app) => {
  const id = segmentIdParam(request);
  return snapshotResponse(202, await app.segments.snapshot(id, contextOf(request, `/segments/${id}/snapshots`)));
};

const getSnapshot: Handler = async (request, app) =>
  snapshotResponse(200, await app.segments.getSnapshot(segmentIdParam(request), snapshotIdParam(request)));

const listSnapshotMembers: Handler = async (request, app) => {
  const [id, snapshotId] = [segmentIdParam(request), snapshotIdParam(request)];
  const { limit, cursor } = queryParams(request, PageQuery);
  return json(200, await app.segments.members(id, snapshotId, { limit: limit ?? DEFAULT_PAGE_SIZE, cursor }));
};

export const segmentHandlers: Record<string, Handler> = {
  'POST /segments': createSegment,
  'GET /segments': listSegments,
  'GET /segments/{id}': getSegment,
  'PUT /segments/{id}': putSegment,
  'DELETE /segments/{id}': deleteSegment,
  'GET /segments/{id}/preview': previewSegment,
  'POST /segments/preview': previewRule,
  'POST /segments/{id}/snapshots': createSnapshot,
  'GET /segments/{id}/snapshots/{snapshotId}': getSnapshot,
  'GET /segments/{id}/snapshots/{snapshotId}/members': listSnapshotMembers,
};
