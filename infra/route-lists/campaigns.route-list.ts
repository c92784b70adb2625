import { MARKETING, type RouteSpec } from '../route-access.ts';

// The campaigns function's routes: its composition imports this list and no other, so its bundle holds
// only its own routes; infra/routes.ts joins every list into ROUTE_TABLE (test/infra/route-lists.test.ts).

export const CAMPAIGN_ROUTES = [
  { method: 'POST', path: '/segments', function: 'campaigns', operationId: 'createSegment', access: MARKETING, idempotent: true },
  { method: 'GET', path: '/segments', function: 'campaigns', operationId: 'listSegments', access: MARKETING },
  { method: 'GET', path: '/segments/{id}', function: 'campaigns', operationId: 'getSegment', access: MARKETING },
  { method: 'PUT', path: '/segments/{id}', function: 'campaigns', operationId: 'putSegment', access: MARKETING },
  { method: 'DELETE', path: '/segments/{id}', function: 'campaigns', operationId: 'deleteSegment', access: MARKETING },
  { method: 'GET', path: '/segments/{id}/preview', function: 'campaigns', operationId: 'previewSegment', access: MARKETING },
  { method: 'POST', path: '/segments/preview', function: 'campaigns', operationId: 'previewRule', access: MARKETING },
  { method: 'POST', path: '/segments/{id}/snapshots', function: 'campaigns', operationId: 'createSnapshot', access: MARKETING, idempotent: true },
  { method: 'GET', path: '/segments/{id}/snapshots/{snapshotId}', function: 'campaigns', operationId: 'getSnapshot', access: MARKETING },
  { method: 'GET', path: '/segments/{id}/snapshots/{snapshotId}/members', function: 'campaigns', operationId: 'listSnapshotMembers', access: MARKETING },
  { method: 'POST', path: '/campaigns', function: 'campaigns', operationId: 'createCampaign', access: MARKETING, idempotent: true },
  { method: 'GET', path: '/campaigns', function: 'campaigns', operationId: 'listCampaigns', access: MARKETING },
  { method: 'GET', path: '/campaigns/{id}', function: 'campaigns', operationId: 'getCampaign', access: MARKETING },
  { method: 'PATCH', path: '/campaigns/{id}', function: 'campaigns', operationId: 'patchCampaign', access: MARKETING, bodyTypes: ['application/merge-patch+json'] },
  { method: 'POST', path: '/campaigns/{id}/schedule', function: 'campaigns', operationId: 'scheduleCampaign', access: MARKETING },
  { method: 'POST', path: '/campaigns/{id}/activate', function: 'campaigns', operationId: 'activateCampaign', access: MARKETING },
  { method: 'POST', path: '/campaigns/{id}/pause', function: 'campaigns', operationId: 'pauseCampaign', access: MARKETING },
  { method: 'POST', path: '/campaigns/{id}/resume', function: 'campaigns', operationId: 'resumeCampaign', access: MARKETING },
  { method: 'POST', path: '/campaigns/{id}/cancel', function: 'campaigns', operationId: 'cancelCampaign', access: MARKETING },
  { method: 'POST', path: '/campaigns/{id}/preview', function: 'campaigns', operationId: 'previewCampaign', access: MARKETING },
  { method: 'POST', path: '/campaigns/{id}/test', function: 'campaigns', operationId: 'testCampaign', access: MARKETING },
  { method: 'GET', path: '/campaigns/{id}/report', function: 'campaigns', operationId: 'campaignReport', access: MARKETING },
  { method: 'GET', path: '/campaigns/{id}/recipients', function: 'campaigns', operationId: 'listRecipients', access: MARKETING },
] as const satisfies readonly RouteSpec[];
