import type { RouteHandler } from '../shared/http-app.ts';
import type { CampaignsApp } from './campaign.http.ts';

const notYet: RouteHandler<CampaignsApp> = async () => {
  throw new Error('campaigns are being built');
};

export const campaignHandlers: Record<string, RouteHandler<CampaignsApp>> = {
  'POST /campaigns': notYet,
  'GET /campaigns': notYet,
  'GET /campaigns/{id}': notYet,
  'PATCH /campaigns/{id}': notYet,
  'POST /campaigns/{id}/schedule': notYet,
  'POST /campaigns/{id}/activate': notYet,
  'POST /campaigns/{id}/pause': notYet,
  'POST /campaigns/{id}/resume': notYet,
  'POST /campaigns/{id}/cancel': notYet,
  'POST /campaigns/{id}/preview': notYet,
  'POST /campaigns/{id}/test': notYet,
  'GET /campaigns/{id}/report': notYet,
  'GET /campaigns/{id}/recipients': notYet,
};
