import type { RouteHandler } from '../shared/http-app.ts';
import type { CampaignsApp } from './campaign.http.ts';

const notYet: RouteHandler<CampaignsApp> = async () => {
  throw new Error('segments are being built');
};

export const segmentHandlers: Record<string, RouteHandler<CampaignsApp>> = {
  'POST /segments': notYet,
  'GET /segments': notYet,
  'GET /segments/{id}': notYet,
  'PUT /segments/{id}': notYet,
  'DELETE /segments/{id}': notYet,
  'GET /segments/{id}/preview': notYet,
  'POST /segments/{id}/snapshots': notYet,
  'GET /segments/{id}/snapshots/{snapshotId}': notYet,
  'GET /segments/{id}/snapshots/{snapshotId}/members': notYet,
};
