import * as z from '#domain/shared/zod.ts';

// GET /usage (issue 14): units each context consumed per UTC day, and what they cost at a price
// table the deployment configures.

const day = (description: string) => z.iso.date().register(z.globalRegistry, { description });

/** Both days UTC and included; the range itself (order, at most 92 days) is usageRange's to check. */
export const UsageQuery = z.onFirstUse(() => z.strictObject({
  from: day('First UTC day'),
  to: day('Last UTC day, included (at most 92 days after from)'),
}));

const price = (description: string) => z.number().check(z.nonnegative()).register(z.globalRegistry, { description });

/** List prices in USD; every unit is named in the key. */
export const PriceTable = z.onFirstUse(() => z
  .strictObject({
    asOf: day('The day these prices were stated for'),
    region: z.string().check(z.minLength(1)),
    dynamoDbReadRequestUnitsPerMillion: price('DynamoDB on-demand, per million read request units'),
    dynamoDbWriteRequestUnitsPerMillion: price('DynamoDB on-demand, per million write request units'),
    lambdaRequestsPerMillion: price('Lambda, per million requests'),
    lambdaGbSecondArm64: price('Lambda arm64, per GB-second'),
    apiGatewayHttpRequestsPerMillion: price('API Gateway HTTP API, per million requests'),
    eventBridgeCustomEventsPerMillion: price('EventBridge, per million custom events put'),
    sesEmailsPerThousand: price('SES, per thousand emails (recipients)'),
    cloudWatchLogsIngestionPerGb: price('CloudWatch Logs, per GB ingested (not metered per context: see the README)'),
  })
  .register(z.globalRegistry, { id: 'PriceTable' }));
export type PriceTable = z.output<typeof PriceTable>;

/** A partial table over the defaults (configuration: `-c usagePrices` / USAGE_PRICES). */
export const PriceOverrides = z.onFirstUse(() => z.partial(PriceTable));

export const UsageUnits = z.onFirstUse(() => z
  .strictObject({
    readUnits: z.number(),
    writeUnits: z.number(),
    eventsPut: z.number(),
    emailsSent: z.number(),
    invocations: z.number(),
    apiRequests: z.number(),
    gbSeconds: z.number(),
  })
  .register(z.globalRegistry, { id: 'UsageUnits' }));
export type UsageUnits = z.output<typeof UsageUnits>;

export const UsageCost = z.onFirstUse(() => z
  .strictObject({
    dynamoDb: z.number(),
    lambda: z.number(),
    apiGateway: z.number(),
    eventBridge: z.number(),
    ses: z.number(),
    total: z.number(),
  })
  .register(z.globalRegistry, { id: 'UsageCost' }));
export type UsageCost = z.output<typeof UsageCost>;

export const UsageReport = z.onFirstUse(() => z
  .strictObject({
    from: z.string(),
    to: z.string(),
    currency: z.literal('USD'),
    prices: PriceTable,
    days: z.array(z.strictObject({ day: z.string(), context: z.string(), units: UsageUnits, cost: UsageCost })),
    total: z.strictObject({ units: UsageUnits, cost: UsageCost }),
  })
  .register(z.globalRegistry, { id: 'UsageReport' }));
export type UsageReport = z.output<typeof UsageReport>;
