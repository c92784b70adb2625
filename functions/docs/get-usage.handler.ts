import { type UsageSource, usageReport } from '#domain/operations/usage.ts';
import { type PriceTable, UsageQuery } from '#domain/operations/usage.schema.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { json, queryParams } from '../shared/request.ts';

export interface UsagePorts {
  readonly usage: UsageSource;
  /** The price table, or how to read it on first use (the Lambda reads USAGE_PRICES then: docs.lambda.ts). */
  readonly prices: PriceTable | (() => Promise<PriceTable>);
}

export const getUsageHandler: RouteHandler<UsagePorts> = async (request, { usage, prices }) => {
  const query = queryParams(request, UsageQuery);
  return json(200, await usageReport(usage, typeof prices === 'function' ? await prices() : prices, query), { 'cache-control': 'no-store' });
};
