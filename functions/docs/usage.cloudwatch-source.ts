import { CloudWatchClient, GetMetricDataCommand, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { NO_UNITS, type UsageRow, type UsageSource } from '#domain/operations/usage.ts';
import type { UsageUnits } from '#domain/operations/usage.schema.ts';
import { METRICS_NAMESPACE } from '../shared/metrics.ts';
import { USAGE_DIMENSION, USAGE_METRICS } from '../shared/metering.ts';

const DAY_SECONDS = 86_400;

/**
 * UsageSource on CloudWatch: the metering lines' metrics (EMF, namespace eCRM, dimension
 * `context`) summed per UTC day. One SEARCH expression per metric returns every context at once,
 * labelled with its context; GetMetricData costs $0.01 per 1,000 metrics read, only when asked.
 */
export function cloudWatchUsageSource(client: CloudWatchClient): UsageSource {
  return {
    async unitsByContextAndDay(from, to) {
      const keys = Object.keys(USAGE_METRICS) as (keyof typeof USAGE_METRICS)[];
      const queries: MetricDataQuery[] = keys.map((key, i) => ({
        Id: `m${i}`,
        Expression: `SEARCH('{${METRICS_NAMESPACE},${USAGE_DIMENSION}} MetricName="${USAGE_METRICS[key]}"', 'Sum', ${DAY_SECONDS})`,
        Label: `\${PROP('Dim.${USAGE_DIMENSION}')}`,
        ReturnData: true,
      }));
      const rows = new Map<string, { day: string; context: string; units: UsageUnits }>();
      let nextToken: string | undefined;
      do {
        const out = await client.send(
          new GetMetricDataCommand({
            MetricDataQueries: queries,
            StartTime: new Date(`${from}T00:00:00Z`),
            EndTime: new Date(Date.parse(`${to}T00:00:00Z`) + DAY_SECONDS * 1000),
            ScanBy: 'TimestampAscending',
            ...(nextToken ? { NextToken: nextToken } : {}),
          }),
        );
        for (const result of out.MetricDataResults ?? []) {
          const key = keys[Number(result.Id?.slice(1))];
          const context = result.Label;
          if (!key || !context) continue;
          (result.Timestamps ?? []).forEach((at, i) => {
            const day = at.toISOString().slice(0, 10);
            const id = `${day}|${context}`;
            const row = rows.get(id) ?? { day, context, units: { ...NO_UNITS } };
            row.units[key] += result.Values?.[i] ?? 0;
            rows.set(id, row);
          });
        }
        nextToken = out.NextToken;
      } while (nextToken);
      return [...rows.values()] satisfies UsageRow[];
    },
  };
}

/** The Lambda's source, with its own client: built by GET /usage's first call (docs.lambda.ts), so the cold start compiles no CloudWatch client. */
export const lambdaUsageSource = (): UsageSource => cloudWatchUsageSource(new CloudWatchClient({}));
