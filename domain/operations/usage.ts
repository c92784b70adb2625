import { ValidationError } from '#domain/shared/errors.ts';
import type { PriceTable, UsageCost, UsageReport, UsageUnits } from './usage.schema.ts';

/** One context's units on one UTC day. */
export interface UsageRow {
  readonly day: string;
  readonly context: string;
  readonly units: UsageUnits;
}

/** Port: where the measured units come from (CloudWatch metrics on AWS, the local runtime's aggregator here). */
export interface UsageSource {
  unitsByContextAndDay(from: string, to: string): Promise<readonly UsageRow[]>;
}

export const MAX_USAGE_DAYS = 92;
const DAY_MS = 86_400_000;

/**
 * us-east-1 on-demand list prices, without free tiers, as the author knew them (stated for
 * `asOf`): override any of them in configuration when AWS changes them or for another region.
 */
export const DEFAULT_PRICES: PriceTable = {
  asOf: '2025-01-01',
  region: 'us-east-1',
  dynamoDbReadRequestUnitsPerMillion: 0.125,
  dynamoDbWriteRequestUnitsPerMillion: 0.625,
  lambdaRequestsPerMillion: 0.2,
  lambdaGbSecondArm64: 0.0000133334,
  apiGatewayHttpRequestsPerMillion: 1.0,
  eventBridgeCustomEventsPerMillion: 1.0,
  sesEmailsPerThousand: 0.1,
  cloudWatchLogsIngestionPerGb: 0.5,
};

export const NO_UNITS: UsageUnits = { readUnits: 0, writeUnits: 0, eventsPut: 0, emailsSent: 0, invocations: 0, apiRequests: 0, gbSeconds: 0 };

/** from <= to, at most MAX_USAGE_DAYS days both included. */
export function usageRange(from: string, to: string): { from: string; to: string } {
  if (from > to) throw new ValidationError('from must not be after to', [{ path: 'from', message: 'from must not be after to' }]);
  if ((Date.parse(to) - Date.parse(from)) / DAY_MS + 1 > MAX_USAGE_DAYS) {
    throw new ValidationError(`at most ${MAX_USAGE_DAYS} days at a time`, [{ path: 'to', message: `at most ${MAX_USAGE_DAYS} days after from (both included)` }]);
  }
  return { from, to };
}

export function addUnits(a: UsageUnits, b: UsageUnits): UsageUnits {
  return {
    readUnits: a.readUnits + b.readUnits,
    writeUnits: a.writeUnits + b.writeUnits,
    eventsPut: a.eventsPut + b.eventsPut,
    emailsSent: a.emailsSent + b.emailsSent,
    invocations: a.invocations + b.invocations,
    apiRequests: a.apiRequests + b.apiRequests,
    gbSeconds: a.gbSeconds + b.gbSeconds,
  };
}

/** USD, unrounded (a million requests are summed from micro-dollars). */
export function costOf(units: UsageUnits, prices: PriceTable): UsageCost {
  const dynamoDb = (units.readUnits * prices.dynamoDbReadRequestUnitsPerMillion + units.writeUnits * prices.dynamoDbWriteRequestUnitsPerMillion) / 1e6;
  const lambda = (units.invocations * prices.lambdaRequestsPerMillion) / 1e6 + units.gbSeconds * prices.lambdaGbSecondArm64;
  const apiGateway = (units.apiRequests * prices.apiGatewayHttpRequestsPerMillion) / 1e6;
  const eventBridge = (units.eventsPut * prices.eventBridgeCustomEventsPerMillion) / 1e6;
  const ses = (units.emailsSent * prices.sesEmailsPerThousand) / 1e3;
  return { dynamoDb, lambda, apiGateway, eventBridge, ses, total: dynamoDb + lambda + apiGateway + eventBridge + ses };
}

/** The report: rows in day then context order, each priced, and the total. */
export async function usageReport(source: UsageSource, prices: PriceTable, query: { from: string; to: string }): Promise<UsageReport> {
  const { from, to } = usageRange(query.from, query.to);
  const rows = [...(await source.unitsByContextAndDay(from, to))].sort((a, b) => a.day.localeCompare(b.day) || a.context.localeCompare(b.context));
  const total = rows.reduce((sum, row) => addUnits(sum, row.units), NO_UNITS);
  return {
    from,
    to,
    currency: 'USD',
    prices,
    days: rows.map((row) => ({ day: row.day, context: row.context, units: row.units, cost: costOf(row.units, prices) })),
    total: { units: total, cost: costOf(total, prices) },
  };
}
