import { CloudWatchClient, GetMetricDataCommand, type GetMetricDataCommandInput } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { NO_UNITS } from '#domain/operations/usage.ts';
import { cloudWatchUsageSource } from '#functions/docs/usage.cloudwatch-source.ts';

const cloudWatch = mockClient(CloudWatchClient);
const day = (d: string) => new Date(`${d}T00:00:00Z`);

beforeEach(() => cloudWatch.reset());

describe('cloudWatchUsageSource', () => {
  it('asks one daily SEARCH per metric over the eCRM context metrics and sums the pages per context and day', async () => {
    const asked: GetMetricDataCommandInput[] = [];
    cloudWatch.on(GetMetricDataCommand).callsFake((input: GetMetricDataCommandInput) => {
      asked.push(input);
      // m0 is ReadUnits, m1 WriteUnits, m4 Invocations (USAGE_METRICS order); the second page adds to the first.
      if (!input.NextToken) {
        return {
          NextToken: 'page-2',
          MetricDataResults: [
            { Id: 'm0', Label: 'cases', Timestamps: [day('2026-03-01'), day('2026-03-02')], Values: [10, 4] },
            { Id: 'm4', Label: 'cases', Timestamps: [day('2026-03-01')], Values: [3] },
          ],
        };
      }
      return { MetricDataResults: [{ Id: 'm1', Label: 'customers', Timestamps: [day('2026-03-02')], Values: [7] }, { Id: 'm0', Label: 'cases', Timestamps: [day('2026-03-01')], Values: [1] }] };
    });
    const rows = await cloudWatchUsageSource(new CloudWatchClient({ region: 'us-east-1' })).unitsByContextAndDay('2026-03-01', '2026-03-02');

    expect(rows).toEqual(
      expect.arrayContaining([
        { day: '2026-03-01', context: 'cases', units: { ...NO_UNITS, readUnits: 11, invocations: 3 } },
        { day: '2026-03-02', context: 'cases', units: { ...NO_UNITS, readUnits: 4 } },
        { day: '2026-03-02', context: 'customers', units: { ...NO_UNITS, writeUnits: 7 } },
      ]),
    );
    expect(rows).toHaveLength(3);
    expect(asked).toHaveLength(2);
    expect(asked[0]!.StartTime).toEqual(day('2026-03-01'));
    expect(asked[0]!.EndTime).toEqual(day('2026-03-03'));
    expect(asked[0]!.MetricDataQueries!.map((q) => q.Expression)).toContain(`SEARCH('{eCRM,context} MetricName="ReadUnits"', 'Sum', 86400)`);
    expect(asked[0]!.MetricDataQueries!.every((q) => q.Label === "${PROP('Dim.context')}")).toBe(true);
  });
});
