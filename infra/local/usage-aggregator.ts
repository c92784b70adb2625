import { addUnits, NO_UNITS, type UsageRow, type UsageSource } from '#domain/operations/usage.ts';
import type { UsageUnits } from '#domain/operations/usage.schema.ts';
import { USAGE_DIMENSION, USAGE_METRICS } from '#functions/shared/metering.ts';

// The local runtime's CloudWatch: it receives the EMF lines its handlers write (the process's
// metrics sink) and sums the metering lines per context and UTC day, as GetMetricData's Sum over
// a day does on AWS. GET /usage reads it through the same UsageSource port.

interface EmfLine {
  readonly _aws?: { Timestamp?: number; CloudWatchMetrics?: { Dimensions?: string[][] }[] };
  readonly [key: string]: unknown;
}

/** A metering line: the one dimension `context` and an Invocations count (other EMF lines are not usage). */
function meteringLine(line: EmfLine): boolean {
  const dimensions = line._aws?.CloudWatchMetrics?.[0]?.Dimensions?.[0];
  return dimensions?.length === 1 && dimensions[0] === USAGE_DIMENSION && typeof line[USAGE_METRICS.invocations] === 'number';
}

export function localUsageAggregator() {
  const totals = new Map<string, UsageRow>();
  const valueOf = (line: EmfLine, name: string) => (typeof line[name] === 'number' ? (line[name] as number) : 0);
  return {
    /** The metrics sink: one EMF line. */
    record(text: string): void {
      let line: EmfLine;
      try {
        line = JSON.parse(text) as EmfLine;
      } catch {
        return;
      }
      if (!meteringLine(line)) return;
      const context = String(line[USAGE_DIMENSION]);
      const day = new Date(line._aws?.Timestamp ?? Date.now()).toISOString().slice(0, 10);
      const units: UsageUnits = Object.fromEntries(Object.entries(USAGE_METRICS).map(([key, name]) => [key, valueOf(line, name)])) as unknown as UsageUnits;
      const key = `${day}|${context}`;
      totals.set(key, { day, context, units: addUnits(totals.get(key)?.units ?? NO_UNITS, units) });
    },
    source: {
      async unitsByContextAndDay(from, to) {
        return [...totals.values()].filter((row) => row.day >= from && row.day <= to);
      },
    } satisfies UsageSource,
  };
}

export type LocalUsageAggregator = ReturnType<typeof localUsageAggregator>;
