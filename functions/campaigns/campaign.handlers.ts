import { CampaignNotFoundError } from '#domain/campaigns/campaign.ts';
import { type Campaign, CampaignInput, CampaignPatch, PreviewInput, ScheduleInput, TestInput } from '#domain/campaigns/campaign.schema.ts';
import type { CampaignUseCases } from '#domain/campaigns/campaign.use-cases.ts';
import type { CommandContext } from '#domain/shared/ports.ts';
import type { ApiResult, HttpRequest, RouteHandler } from '../shared/http-app.ts';
import { DEFAULT_PAGE_SIZE, PathId } from '../shared/query.ts';
import { etag, idempotencyClaim, ifMatchVersion, json, jsonBody, queryParams } from '../shared/request.ts';
import { type CampaignsApp, PageQuery, RecipientQuery } from './campaign.http.ts';

const READ_ONLY = ['id', 'status', 'pausedFrom', 'createdAt', 'updatedAt', 'startedAt', 'completedAt', 'version'];

function campaignId(request: HttpRequest): string {
  const id = request.params.id ?? '';
  if (!PathId.safeParse(id).success) throw new CampaignNotFoundError(id);
  return id;
}

function campaignResponse(status: 200 | 201, c: Campaign): ApiResult {
  return json(status, c, { etag: etag(c.version), ...(status === 201 ? { location: `/campaigns/${encodeURIComponent(c.id)}` } : {}) });
}

const contextOf = (request: HttpRequest): CommandContext => ({ correlationId: request.correlationId });

type Move = 'activate' | 'pause' | 'resume' | 'cancel';
/** The state moves without a body: If-Match, when sent, must name the version read. */
const move =
  (name: Move): RouteHandler<CampaignsApp> =>
  async (request, app) => {
    const id = campaignId(request);
    const ifMatch = ifMatchVersion(request);
    const use: CampaignUseCases[Move] = app.campaigns[name];
    return campaignResponse(200, await use(id, ifMatch, contextOf(request)));
  };

export const campaignHandlers: Record<string, RouteHandler<CampaignsApp>> = {
  'POST /campaigns': async (request, app) => {
    const input = jsonBody(request, CampaignInput);
    const idempotency = idempotencyClaim(request, '/campaigns');
    return campaignResponse(201, await app.campaigns.create(input, { ...contextOf(request), ...(idempotency ? { idempotency } : {}) }));
  },

  'GET /campaigns': async (request, app) => {
    const { limit, cursor } = queryParams(request, PageQuery);
    return json(200, await app.campaigns.list({ limit: limit ?? DEFAULT_PAGE_SIZE, cursor }));
  },

  'GET /campaigns/{id}': async (request, app) => campaignResponse(200, await app.campaigns.get(campaignId(request))),

  'PATCH /campaigns/{id}': async (request, app) => {
    const ifMatch = ifMatchVersion(request);
    const patch = jsonBody(request, CampaignPatch, READ_ONLY);
    return campaignResponse(200, await app.campaigns.patch(campaignId(request), patch, ifMatch, contextOf(request)));
  },

  // The body is optional: without one, the campaign's own schedule.at.
  'POST /campaigns/{id}/schedule': async (request, app) => {
    const ifMatch = ifMatchVersion(request);
    const { at } = (request.body ?? '').trim() === '' ? { at: undefined } : jsonBody(request, ScheduleInput);
    return campaignResponse(200, await app.campaigns.schedule(campaignId(request), at, ifMatch, contextOf(request)));
  },

  'POST /campaigns/{id}/activate': move('activate'),
  'POST /campaigns/{id}/pause': move('pause'),
  'POST /campaigns/{id}/resume': move('resume'),
  'POST /campaigns/{id}/cancel': move('cancel'),

  'POST /campaigns/{id}/preview': async (request, app) => {
    const { customerId } = jsonBody(request, PreviewInput);
    return json(200, await app.campaigns.preview(campaignId(request), customerId, request.baseUrl));
  },

  'POST /campaigns/{id}/test': async (request, app) => {
    const { email } = jsonBody(request, TestInput);
    return json(202, await app.campaigns.test(campaignId(request), email, request.baseUrl));
  },

  'GET /campaigns/{id}/report': async (request, app) => json(200, await app.campaigns.report(campaignId(request))),

  'GET /campaigns/{id}/recipients': async (request, app) => {
    const { outcome, limit, cursor } = queryParams(request, RecipientQuery);
    return json(200, await app.campaigns.recipients(campaignId(request), { outcome, limit: limit ?? DEFAULT_PAGE_SIZE, cursor }));
  },
};
