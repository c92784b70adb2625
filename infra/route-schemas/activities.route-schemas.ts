import { Activity, ActivityInput, ActivityPatch } from '#domain/sales/activity.schema.ts';
import { ActivityListQuery } from '#functions/sales/activity.http.ts';
import type { ACTIVITY_ROUTES } from '../routes.ts';
import type { RouteSchemas } from '../topology.ts';
import { pageOf } from './page.ts';

type OperationId = (typeof ACTIVITY_ROUTES)[number]['operationId'];

/** The activities routes' request and response schemas (issue 12). */
export const ACTIVITY_ROUTE_SCHEMAS: Record<OperationId, RouteSchemas> = {
  createActivity: {
    summary: 'Create a sales activity (call, meeting, task or email) for an owner',
    body: ActivityInput,
    responses: {
      201: { description: 'Created', schema: Activity, etag: true, location: true },
      409: { description: 'The linked customer is being erased (being-erased) or was merged into another (merged)' },
      422: { description: 'The linked customer does not exist (unknown-customer)' },
    },
  },
  listActivities: {
    summary: "Activities newest first: one owner's, or those of an account, opportunity or customer (one filter at a time); open=true: not completed, open=false: completed",
    query: ActivityListQuery,
    responses: { 200: { description: 'A page of activities', schema: pageOf(Activity) } },
  },
  getActivity: {
    summary: 'Read an activity',
    responses: { 200: { description: 'The activity', schema: Activity, etag: true } },
  },
  patchActivity: {
    summary: 'Change an activity or complete it (JSON merge patch; completed: true sets completedAt once)',
    body: ActivityPatch,
    responses: {
      200: { description: 'The updated activity', schema: Activity, etag: true },
      409: { description: 'The linked customer is being erased or was erased (being-erased, erased)' },
      412: { description: 'If-Match is stale' },
    },
  },
};
