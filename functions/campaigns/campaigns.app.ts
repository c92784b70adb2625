import { routeKey } from '#infra/route-access.ts';
import { CAMPAIGN_ROUTES } from '#infra/route-lists/campaigns.route-list.ts';
import { httpApp } from '../shared/http-app.ts';
import { lazyRoutes } from '../shared/lazy.ts';
import type { CampaignsApp } from './campaign.http.ts';

// By area, each loaded by its first request (functions/shared/lazy.ts): segments, and campaigns.
const keys = CAMPAIGN_ROUTES.map(routeKey);
const SEGMENT_KEYS = keys.filter((key) => key.split(' ')[1]!.startsWith('/segments'));
const CAMPAIGN_KEYS = keys.filter((key) => !SEGMENT_KEYS.includes(key));

export function campaignsHandler(app: CampaignsApp) {
  return httpApp(
    CAMPAIGN_ROUTES,
    {
      ...lazyRoutes(SEGMENT_KEYS, async () => (await import('./segment.handlers.ts')).segmentHandlers),
      ...lazyRoutes(CAMPAIGN_KEYS, async () => (await import('./campaign.handlers.ts')).campaignHandlers),
    },
    app,
  );
}
