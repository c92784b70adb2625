import { ActivityNotFoundError } from '#domain/sales/activity.ts';
import { type ActivityUseCases, activityUseCases } from '#domain/sales/activity.use-cases.ts';
import { type Activity, ActivityInput, ActivityPatch, READ_ONLY_ACTIVITY_FIELDS } from '#domain/sales/activity.schema.ts';
import type { OneOffSchedules } from '#domain/shared/ports.ts';
import type { HttpRequest, RouteHandler } from '../shared/http-app.ts';
import { HttpError } from '../shared/http-error.ts';
import { DEFAULT_PAGE_SIZE, PathId } from '../shared/query.ts';
import { etag, idempotencyClaim, ifMatchVersion, json, jsonBody, queryParams } from '../shared/request.ts';
import { dynamoActivityRepository } from './activity.dynamodb-repository.ts';
import { ActivityListQuery } from './activity.http.ts';
import type { SalesInfra } from './sales.infra.ts';

// The activities part of the sales function (issue 12): its ports, how they are built from the
// function's infrastructure, and its route handlers (keys: "METHOD /path" of ACTIVITY_ROUTES).

export interface ActivityPorts {
  readonly activities: ActivityUseCases;
}

/** The activities part also schedules (activities' due reminders), so it takes the scheduler besides the function's infrastructure. */
export type ActivityInfra = SalesInfra & { readonly schedules: OneOffSchedules };

export const activityPortsFor = (infra: ActivityInfra): ActivityPorts => ({
  activities: activityUseCases({ activities: dynamoActivityRepository(infra), clock: infra.clock, ids: infra.ids, schedules: infra.schedules }),
});

type Handler = RouteHandler<ActivityPorts>;

function activityId(request: HttpRequest): string {
  const id = request.params.id ?? '';
  if (!PathId.safeParse(id).success) throw new ActivityNotFoundError(id);
  return id;
}

function activityResponse(status: 200 | 201, activity: Activity) {
  return json(status, activity, { etag: etag(activity.version), ...(status === 201 ? { location: `/activities/${encodeURIComponent(activity.id)}` } : {}) });
}

const createActivity: Handler = async (request, app) => {
  const input = jsonBody(request, ActivityInput, READ_ONLY_ACTIVITY_FIELDS);
  const idempotency = idempotencyClaim(request, '/activities');
  return activityResponse(201, await app.activities.create(input, { correlationId: request.correlationId, ...(idempotency ? { idempotency } : {}) }));
};

const listActivities: Handler = async (request, app) => {
  const { owner, open, account, opportunity, customer, limit, cursor } = queryParams(request, ActivityListQuery);
  const related = [account, opportunity, customer].filter((f) => f !== undefined).length;
  if (related + (owner !== undefined ? 1 : 0) > 1) throw new HttpError(400, 'Filter by one of owner, account, opportunity and customer at a time.');
  if (related && open !== undefined) throw new HttpError(400, 'open filters everybody\'s or one owner\'s activities, not those of an account, opportunity or customer.');
  return json(200, await app.activities.list({ ownerId: owner, open, account, opportunity, customer, limit: limit ?? DEFAULT_PAGE_SIZE, cursor }));
};

const getActivity: Handler = async (request, app) => activityResponse(200, await app.activities.get(activityId(request)));

const patchActivity: Handler = async (request, app) => {
  const id = activityId(request);
  const ifMatch = ifMatchVersion(request);
  const patch = jsonBody(request, ActivityPatch, READ_ONLY_ACTIVITY_FIELDS);
  return activityResponse(200, await app.activities.patch(id, patch, ifMatch, { correlationId: request.correlationId }));
};

export const activityHandlers: Record<string, Handler> = {
  'POST /activities': createActivity,
  'GET /activities': listActivities,
  'GET /activities/{id}': getActivity,
  'PATCH /activities/{id}': patchActivity,
};
