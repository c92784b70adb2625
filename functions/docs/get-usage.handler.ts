import { type UsageSource, usageReport } from '#domain/operations/usage.ts';
import { type PriceTable, UsageQuery } from '#domain/operations/usage.schema.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { json, queryParams } from '../shared/request.ts';

export interface UsagePorts {
  readonly usage: UsageSource;
  readonly prices: PriceTable;
}

export const getUsageHandler: RouteHandler<UsagePorts> = async (request, { usage, prices }) =>
  json(200, await usageReport(usage, prices, queryParams(request, UsageQuery)), { 'cache-control': 'no-store' });
