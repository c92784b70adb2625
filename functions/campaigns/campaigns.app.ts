import { CAMPAIGN_ROUTES } from '#infra/routes.ts';
import { httpApp } from '../shared/http-app.ts';
import { campaignHandlers } from './campaign.handlers.ts';
import type { CampaignsApp } from './campaign.http.ts';
import { segmentHandlers } from './segment.handlers.ts';

export function campaignsHandler(app: CampaignsApp) {
  return httpApp(CAMPAIGN_ROUTES, { ...segmentHandlers, ...campaignHandlers }, app);
}
