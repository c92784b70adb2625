import { describe, expect, it } from 'vitest';
import { costOf, DEFAULT_PRICES, NO_UNITS, usageRange, usageReport, type UsageRow } from '#domain/operations/usage.ts';
import { ValidationError } from '#domain/shared/errors.ts';
import { usagePricesConfig } from '#functions/docs/usage.config.ts';

const million = { ...NO_UNITS };

describe('costOf', () => {
  it('prices each service from its units at the table', () => {
    const units = { readUnits: 2e6, writeUnits: 1e6, eventsPut: 3e6, emailsSent: 1000, invocations: 1e6, apiRequests: 1e6, gbSeconds: 100_000 };
    const cost = costOf(units, DEFAULT_PRICES);
    expect(cost.dynamoDb).toBeCloseTo(2 * 0.125 + 0.625, 10);
    expect(cost.lambda).toBeCloseTo(0.2 + 100_000 * 0.0000133334, 10);
    expect(cost.apiGateway).toBeCloseTo(1, 10);
    expect(cost.eventBridge).toBeCloseTo(3, 10);
    expect(cost.ses).toBeCloseTo(0.1, 10);
    expect(cost.total).toBeCloseTo(cost.dynamoDb + cost.lambda + cost.apiGateway + cost.eventBridge + cost.ses, 12);
  });

  it('is nothing for no units', () => {
    expect(costOf(million, DEFAULT_PRICES).total).toBe(0);
  });
});

describe('usageRange', () => {
  it('takes from <= to and at most 92 days, both included', () => {
    expect(usageRange('2026-01-01', '2026-04-02')).toEqual({ from: '2026-01-01', to: '2026-04-02' });
    expect(usageRange('2026-01-01', '2026-01-01')).toEqual({ from: '2026-01-01', to: '2026-01-01' });
  });

  it('refuses from after to and a 93rd day', () => {
    expect(() => usageRange('2026-01-02', '2026-01-01')).toThrow(ValidationError);
    expect(() => usageRange('2026-01-01', '2026-04-03')).toThrow(/at most 92 days/);
  });
});

describe('usageReport', () => {
  it('prices each context and day and sums the total, ordered by day then context', async () => {
    const rows: UsageRow[] = [
      { day: '2026-01-02', context: 'cases', units: { ...NO_UNITS, readUnits: 10, invocations: 2, apiRequests: 2 } },
      { day: '2026-01-01', context: 'customers', units: { ...NO_UNITS, writeUnits: 4, invocations: 1, apiRequests: 1 } },
      { day: '2026-01-01', context: 'cases', units: { ...NO_UNITS, readUnits: 1, invocations: 1 } },
    ];
    const asked: string[] = [];
    const report = await usageReport({ unitsByContextAndDay: async (from, to) => (asked.push(`${from}..${to}`), rows) }, DEFAULT_PRICES, { from: '2026-01-01', to: '2026-01-31' });
    expect(asked).toEqual(['2026-01-01..2026-01-31']);
    expect(report.days.map((d) => `${d.day} ${d.context}`)).toEqual(['2026-01-01 cases', '2026-01-01 customers', '2026-01-02 cases']);
    expect(report.total.units).toEqual({ ...NO_UNITS, readUnits: 11, writeUnits: 4, invocations: 4, apiRequests: 3 });
    expect(report.total.cost.total).toBeCloseTo(report.days.reduce((sum, d) => sum + d.cost.total, 0), 15);
    expect(report.total.cost.dynamoDb).toBeCloseTo((11 * 0.125 + 4 * 0.625) / 1e6, 15);
  });
});

describe('usagePricesConfig (USAGE_PRICES)', () => {
  it('is the defaults without the variable and overrides the keys it names', () => {
    expect(usagePricesConfig({})).toEqual(DEFAULT_PRICES);
    expect(usagePricesConfig({ USAGE_PRICES: '{"region":"eu-west-1","lambdaGbSecondArm64":0.0000134}' })).toEqual({ ...DEFAULT_PRICES, region: 'eu-west-1', lambdaGbSecondArm64: 0.0000134 });
  });

  it('refuses what is not JSON, an unknown key and a negative price', () => {
    expect(() => usagePricesConfig({ USAGE_PRICES: '{' })).toThrow(/not JSON/);
    expect(() => usagePricesConfig({ USAGE_PRICES: '{"lambdaGbSecond":1}' })).toThrow(/not a valid price table/);
    expect(() => usagePricesConfig({ USAGE_PRICES: '{"sesEmailsPerThousand":-1}' })).toThrow(/not a valid price table/);
  });
});
