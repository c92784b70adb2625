import { PRIORITIES, CASE_STATUSES } from '#domain/cases/case.schema.ts';
import { CHANNELS } from '#domain/customers/interaction.schema.ts';
import { CONSENT_STATES } from '#domain/consent/consent.schema.ts';
import { OUTCOMES } from '#domain/campaigns/campaign.schema.ts';
import type { WarehouseTable } from './warehouse-rows.ts';

// The cube's fixed measures (issue 13, GET /reports/cube): each is one SQL template over one
// warehouse table, written in the subset of SQL that DuckDB and Athena (Trino) read alike. Callers
// choose a measure, dimensions and filters by name; every piece of SQL comes from the closed lists
// below, and every value a caller sends (dates, filter values) is a bound parameter (`?`).
//
// The export appends a row each time an item changes (warehouse-rows.ts), so a template first keeps
// each entity's latest row within the requested days (ROW_NUMBER over its key), then aggregates.
// The days bound the `date` partition on both sides, so both engines read only those partitions:
// a measure answers "what was recorded in [from, to], as it stood at the end of `to`".

/** How a filter value of a dimension must look: one of a closed list, or a code (what warehouse-rows.ts keeps of caller-chosen categories). */
export type DimensionValues = { readonly oneOf: readonly string[] } | { readonly pattern: RegExp; readonly example: string };

export interface Dimension {
  /** The SQL expression over the latest row `t` (always VARCHAR). */
  readonly sql: string;
  readonly values: DimensionValues;
}

export interface Measure {
  readonly table: WarehouseTable;
  readonly description: string;
  readonly dimensions: Readonly<Record<string, Dimension>>;
  /** Used when the caller names no `by`. */
  readonly defaultBy: readonly string[];
  /** Always grouped by, whatever `by` names: sums in different currencies do not add up. */
  readonly alwaysBy?: readonly string[];
  /** Which rows of the table count, over the row `s` (literals only; `?` is the request's `from`, bound). */
  readonly where: string;
  readonly whereBindsFrom?: boolean;
  /** The key of one entity and which of its rows is the latest (the window of ROW_NUMBER). */
  readonly key: string;
  readonly latest: string;
  /** Aggregates over `t`, each named; all numbers. */
  readonly aggregates: Readonly<Record<string, string>>;
  /** Values computed from the aggregates of a row (shares), after the query. */
  readonly derived?: Readonly<Record<string, (values: Readonly<Record<string, number>>) => number | null>>;
}

const CODE = { pattern: /^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,63}$/, example: 'purchase' } as const;
const DAY = { pattern: /^\d{4}-\d{2}-\d{2}$/, example: '2026-12-01' } as const;
const MONTH = { pattern: /^\d{4}-\d{2}$/, example: '2026-12' } as const;
const CURRENCY = { pattern: /^[A-Z]{3}$/, example: 'EUR' } as const;

const dayOfTimestamp = (column: string) => `CAST(CAST(t.${column} AS DATE) AS VARCHAR)`;
const count = 'COUNT(*)';
const countWhen = (condition: string) => `SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;

export const CUBE_MEASURES = {
  interactions: {
    table: 'interactions',
    description: 'Interactions recorded (timeline kind `interaction`), by the day they occurred',
    dimensions: {
      day: { sql: 't."date"', values: DAY },
      channel: { sql: 't."channel"', values: { oneOf: CHANNELS } },
      type: { sql: 't."type"', values: CODE },
      direction: { sql: 't."direction"', values: { oneOf: ['inbound', 'outbound'] } },
    },
    defaultBy: ['day', 'channel'],
    where: `s."kind" = 'interaction'`,
    key: 's."interaction_id"',
    latest: 's."recorded_at" DESC',
    aggregates: { interactions: count },
  },
  revenue: {
    table: 'interactions',
    description: 'Purchases (interactions of type `purchase` with an amount) and their sum, per currency, by the month they occurred',
    dimensions: {
      month: { sql: 'substr(t."date", 1, 7)', values: MONTH },
      channel: { sql: 't."channel"', values: { oneOf: CHANNELS } },
      currency: { sql: 't."currency"', values: CURRENCY },
    },
    defaultBy: ['month', 'currency'],
    alwaysBy: ['currency'],
    where: `s."kind" = 'interaction' AND s."type" = 'purchase' AND s."amount" IS NOT NULL`,
    key: 's."interaction_id"',
    latest: 's."recorded_at" DESC',
    aggregates: { purchases: count, revenue: 'SUM(t."amount")' },
  },
  cases: {
    table: 'cases',
    description: 'Cases opened, solved and within SLA (no first-response or resolution breach recorded), by the day they were opened',
    dimensions: {
      day: { sql: dayOfTimestamp('"created_at"'), values: DAY },
      queue: { sql: 't."queue"', values: CODE },
      priority: { sql: 't."priority"', values: { oneOf: PRIORITIES } },
      status: { sql: 't."status"', values: { oneOf: CASE_STATUSES } },
      channel: { sql: 't."channel"', values: { oneOf: CHANNELS } },
    },
    defaultBy: ['day', 'queue', 'priority'],
    // Rows of a case are dated by its updates; a case opened before `from` is not one of the window's.
    where: `CAST(CAST(s."created_at" AS DATE) AS VARCHAR) >= ?`,
    whereBindsFrom: true,
    key: 's."case_id"',
    latest: 's."version" DESC',
    aggregates: {
      cases: count,
      solved: countWhen(`t."status" IN ('solved', 'closed')`),
      slaMet: countWhen(`NOT t."first_response_breached" AND NOT t."resolution_breached"`),
    },
    derived: { slaMetShare: ({ cases, slaMet }) => (cases ? Math.round((slaMet! / cases) * 1e4) / 1e4 : null) },
  },
  campaignFunnel: {
    table: 'campaign_sends',
    description: "Campaign recipients by outcome (what the export's campaign-send rows hold: sent, blocked, held, capped, failed), by campaign",
    dimensions: {
      campaign: { sql: 't."campaign_id"', values: CODE },
      day: { sql: 't."date"', values: DAY },
    },
    defaultBy: ['campaign'],
    where: 'TRUE',
    key: 's."campaign_id", s."pseudonym"',
    latest: 's."at" DESC',
    aggregates: { recipients: count, ...Object.fromEntries(OUTCOMES.map((outcome) => [outcome, countWhen(`t."outcome" = '${outcome}'`)])) },
  },
  consents: {
    table: 'consents',
    description: 'Consent states per topic, as last changed in the window',
    dimensions: {
      topic: { sql: 't."topic"', values: CODE },
      state: { sql: 't."state"', values: { oneOf: CONSENT_STATES } },
    },
    defaultBy: ['topic', 'state'],
    where: 'TRUE',
    key: 's."pseudonym", s."topic"',
    latest: 's."updated_at" DESC',
    aggregates: { consents: count },
  },
  opportunities: {
    table: 'opportunities',
    description: 'Opportunities changed in the window, by stage and month of their close date, per currency',
    dimensions: {
      stage: { sql: 't."stage"', values: CODE },
      closeMonth: { sql: 'substr(t."close_date", 1, 7)', values: MONTH },
      currency: { sql: 't."currency"', values: CURRENCY },
    },
    defaultBy: ['stage', 'currency'],
    alwaysBy: ['currency'],
    where: 'TRUE',
    key: 's."opportunity_id"',
    latest: 's."version" DESC',
    aggregates: { opportunities: count, amount: 'SUM(t."amount")' },
  },
} as const satisfies Record<string, Measure>;

export type MeasureName = keyof typeof CUBE_MEASURES;
export const MEASURE_NAMES = Object.keys(CUBE_MEASURES) as MeasureName[];
