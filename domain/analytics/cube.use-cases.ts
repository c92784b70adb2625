import { NotFoundError, UnprocessableError, ValidationError, type FieldIssue } from '#domain/shared/errors.ts';
import { CUBE_MEASURES, MEASURE_NAMES, type Dimension, type Measure, type MeasureName } from './cube-measures.ts';
import type { CubeEngine, CubeStatement, RawCell } from './cube.ports.ts';
import type { CubeAnswer, CubeQueryParams, CubeQueryRunning } from './cube.schema.ts';

// GET /reports/cube: a caller's measure, dimensions, filters and days, checked against the closed
// lists of cube-measures.ts, become one statement (SQL from those lists, values bound), which the
// engine runs over the warehouse's Parquet files.

/** The longest span a query may cover, in days (`from` and `to` both count). */
export const MAX_CUBE_DAYS = 366;

/** A queryId that names no query of this cube with the same statement (or one Athena no longer knows). */
export class CubeQueryNotFoundError extends NotFoundError {
  constructor() {
    super('No running or finished cube query with this queryId for this measure, dimensions, filters and days; send the request without queryId.');
  }
}

/** Athena cancelled the query at the workgroup's bytes-scanned cutoff. */
export class CubeQueryTooLargeError extends UnprocessableError {
  override readonly code = 'cube-query-too-large';
  constructor() {
    super("The query would scan more than the warehouse workgroup's per-query limit; ask for fewer days or add filters.");
  }
}

export interface CubeQuery {
  readonly measure: MeasureName;
  readonly by: readonly string[];
  readonly from: string;
  readonly to: string;
  readonly filter: Readonly<Record<string, string>>;
}

const DAY_MS = 86_400_000;
const invalid = (issues: FieldIssue[]) => new ValidationError(issues.map((issue) => `${issue.path} ${issue.message}`).join('; '), issues);
const list = (names: readonly string[]) => names.join(', ');

/** The caller's query string as a cube query over the closed lists, or a ValidationError naming each unknown measure, dimension or value. */
export function cubeQueryOf(params: Omit<CubeQueryParams, 'queryId'>): CubeQuery {
  if (!(MEASURE_NAMES as string[]).includes(params.measure)) {
    throw invalid([{ path: 'measure', message: `"${params.measure}" is not a measure; measures: ${list(MEASURE_NAMES)}` }]);
  }
  const measure = params.measure as MeasureName;
  const definition: Measure = CUBE_MEASURES[measure];
  const known = Object.keys(definition.dimensions);
  const issues: FieldIssue[] = [];

  const requested = params.by === undefined ? [...definition.defaultBy] : params.by.split(',').map((name) => name.trim());
  for (const name of requested) {
    if (!known.includes(name)) issues.push({ path: 'by', message: `"${name}" is not a dimension of ${measure}; dimensions: ${list(known)}` });
  }
  if (new Set(requested).size !== requested.length) issues.push({ path: 'by', message: 'names a dimension twice' });
  const by = [...requested, ...(definition.alwaysBy ?? []).filter((name) => !requested.includes(name))];

  const filter: Record<string, string> = {};
  for (const pair of params.filter === undefined ? [] : params.filter.split(',')) {
    const colon = pair.indexOf(':');
    const name = colon < 0 ? pair : pair.slice(0, colon);
    const value = colon < 0 ? '' : pair.slice(colon + 1);
    const dimension: Dimension | undefined = definition.dimensions[name];
    if (!dimension) issues.push({ path: 'filter', message: `"${name}" is not a dimension of ${measure}; dimensions: ${list(known)}` });
    else if (name in filter) issues.push({ path: 'filter', message: `filters ${name} twice` });
    else if (!acceptable(dimension, value)) issues.push({ path: 'filter', message: `"${value}" is not a value of ${name}: ${expected(dimension)}` });
    else filter[name] = value;
  }

  const days = (Date.parse(params.to) - Date.parse(params.from)) / DAY_MS + 1;
  if (days < 1) issues.push({ path: 'to', message: 'must not be before from' });
  else if (days > MAX_CUBE_DAYS) issues.push({ path: 'to', message: `must be at most ${MAX_CUBE_DAYS} days from from (both count)` });

  if (issues.length > 0) throw invalid(issues);
  return { measure, by, from: params.from, to: params.to, filter };
}

function acceptable(dimension: Dimension, value: string): boolean {
  return 'oneOf' in dimension.values ? dimension.values.oneOf.includes(value) : dimension.values.pattern.test(value);
}
function expected(dimension: Dimension): string {
  return 'oneOf' in dimension.values ? `one of ${list(dimension.values.oneOf)}` : `like ${dimension.values.example}`;
}

/** The measure's template with the query's dimensions and filters: SQL only from the measure's lists, the days and filter values as parameters. */
export function cubeStatement(query: CubeQuery): CubeStatement {
  const measure: Measure = CUBE_MEASURES[query.measure];
  const dimension = (name: string) => measure.dimensions[name]!.sql;
  const selected = query.by.map((name) => `${dimension(name)} AS "${name}"`);
  const aggregates = Object.entries(measure.aggregates).map(([name, sql]) => `${sql} AS "${name}"`);
  const filters = Object.keys(query.filter).map((name) => ` AND ${dimension(name)} = ?`);
  const grouping = query.by.map(dimension).join(', ');
  const sql = [
    `SELECT ${[...selected, ...aggregates].join(', ')}`,
    'FROM (',
    `  SELECT s.*, ROW_NUMBER() OVER (PARTITION BY ${measure.key} ORDER BY ${measure.latest}) AS row_rank`,
    `  FROM {{${measure.table}}} s`,
    `  WHERE s."date" BETWEEN ? AND ? AND ${measure.where}`,
    `) t`,
    `WHERE t.row_rank = 1${filters.join('')}`,
    ...(grouping ? [`GROUP BY ${grouping}`, `ORDER BY ${grouping}`] : []),
  ].join('\n');
  const parameters = [query.from, query.to, ...(measure.whereBindsFrom ? [query.from] : []), ...Object.values(query.filter)];
  return { sql, parameters, tables: [measure.table], days: { from: query.from, to: query.to } };
}

const dimensionCell = (cell: RawCell | undefined) => (cell === null || cell === undefined ? null : String(cell));
const numberCell = (cell: RawCell | undefined) => {
  if (cell === null || cell === undefined || cell === '') return 0;
  const value = Number(cell);
  return Math.round(value * 1e4) / 1e4;
};

export function cubeReports({ engine }: { engine: CubeEngine }) {
  return {
    /** The measure's rows, or (Athena, a slow query) the query id to ask again with. */
    async query(params: CubeQueryParams): Promise<CubeAnswer | CubeQueryRunning> {
      const query = cubeQueryOf(params);
      const run = await engine.run(cubeStatement(query), params.queryId);
      if (run.state === 'running') return { status: 'running', queryId: run.queryId, engine: engine.name, retryAfter: run.retryAfterSeconds };
      const measure: Measure = CUBE_MEASURES[query.measure];
      const rows = run.rows.map((raw) => {
        // Athena reports column names in lower case (slamet for "slaMet"); DuckDB as written.
        const cells = new Map(Object.entries(raw).map(([name, cell]) => [name.toLowerCase(), cell]));
        const at = (name: string) => cells.get(name.toLowerCase());
        const values = Object.fromEntries(Object.keys(measure.aggregates).map((name) => [name, numberCell(at(name))]));
        const derived = Object.fromEntries(Object.entries(measure.derived ?? {}).map(([name, compute]) => [name, compute(values)]));
        return { ...Object.fromEntries(query.by.map((name) => [name, dimensionCell(at(name))])), ...values, ...derived };
      });
      return {
        measure: query.measure,
        by: [...query.by],
        from: query.from,
        to: query.to,
        filter: { ...query.filter },
        rows,
        engine: engine.name,
        ...(run.scannedBytes !== undefined ? { scannedBytes: run.scannedBytes } : {}),
      };
    },
  };
}
export type CubeReports = ReturnType<typeof cubeReports>;
