import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  InvalidRequestException,
  StartQueryExecutionCommand,
  type QueryExecution,
} from '@aws-sdk/client-athena';
import type { CubeEngine, CubeStatement, RawCell, RawRow } from '#domain/analytics/cube.ports.ts';
import { CubeQueryNotFoundError, CubeQueryTooLargeError } from '#domain/analytics/cube.use-cases.ts';
import { WAREHOUSE_TABLES } from '#domain/analytics/warehouse-rows.ts';

// The cube's engine on AWS: Athena over the Glue tables of the warehouse (partition projection on
// `date`, so the statement's day bounds prune partitions and bytes). A query runs in the analytics
// workgroup, which enforces the result location and the bytes-scanned cutoff; values travel as
// ExecutionParameters, never in the SQL text. API Gateway gives up on a request after 29 seconds:
// a query Athena has not finished within `waitMs` is answered as running (the route's 202), and the
// same request with its queryId collects it later without starting (and paying for) it again.

export interface AthenaCubeSettings {
  readonly workGroup: string;
  readonly database: string;
  /** How long one request waits for Athena before answering "running". */
  readonly waitMs: number;
  /** Seconds a caller is told to wait before asking again. */
  readonly retryAfterSeconds?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

const TABLE_TOKEN = /\{\{([a-z_]+)\}\}/g;
const IDENTIFIER = /^[a-z0-9_]{1,255}$/;
const NUMERIC = new Set(['tinyint', 'smallint', 'integer', 'int', 'bigint', 'double', 'float', 'real', 'decimal']);
const FIRST_POLL_MS = 200;
const MAX_POLL_MS = 1000;
const PAGE_SIZE = 1000;

/** An execution parameter is substituted as a SQL literal: strings are quoted, quotes doubled. */
const parameterLiteral = (value: string) => `'${value.replaceAll("'", "''")}'`;

/** Athena's reason when the workgroup's BytesScannedCutoffPerQuery stopped a query. */
const OVER_CUTOFF = /bytes scanned limit/i;

export function athenaCubeEngine(client: AthenaClient, settings: AthenaCubeSettings): CubeEngine {
  if (!IDENTIFIER.test(settings.database)) throw new Error(`Not a Glue database name: ${settings.database}`);
  const sleep = settings.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = settings.now ?? Date.now;
  const retryAfterSeconds = settings.retryAfterSeconds ?? 5;

  const sqlOf = (statement: CubeStatement) =>
    statement.sql.replace(TABLE_TOKEN, (_token, table: string) => {
      if (!(WAREHOUSE_TABLES as readonly string[]).includes(table)) throw new Error(`Not a warehouse table: ${table}`);
      return `"${settings.database}"."${table}"`;
    });

  async function execution(queryId: string): Promise<QueryExecution> {
    const { QueryExecution: found } = await client.send(new GetQueryExecutionCommand({ QueryExecutionId: queryId }));
    if (!found) throw new Error(`Athena returned no execution for ${queryId}`);
    return found;
  }

  /** A queryId from a caller names an execution of this workgroup with exactly this statement, else it is none of theirs to read. */
  async function ownExecution(queryId: string, sql: string, parameters: readonly string[]): Promise<QueryExecution> {
    try {
      const found = await execution(queryId);
      const same =
        found.WorkGroup === settings.workGroup &&
        squeezed(found.Query ?? '') === squeezed(sql) &&
        JSON.stringify(found.ExecutionParameters ?? []) === JSON.stringify(parameters);
      if (!same) throw new CubeQueryNotFoundError();
      return found;
    } catch (error) {
      if (error instanceof InvalidRequestException) throw new CubeQueryNotFoundError();
      throw error;
    }
  }

  async function rowsOf(queryId: string): Promise<RawRow[]> {
    const rows: RawRow[] = [];
    let nextToken: string | undefined;
    let first = true;
    do {
      const page = await client.send(new GetQueryResultsCommand({ QueryExecutionId: queryId, MaxResults: PAGE_SIZE, ...(nextToken ? { NextToken: nextToken } : {}) }));
      const columns = page.ResultSet?.ResultSetMetadata?.ColumnInfo ?? [];
      const data = page.ResultSet?.Rows ?? [];
      // The first row of a SELECT's first page repeats the column names.
      for (const row of first ? data.slice(1) : data) {
        rows.push(Object.fromEntries(columns.map((column, index) => [column.Name ?? String(index), cell(column.Type ?? 'varchar', row.Data?.[index]?.VarCharValue)])));
      }
      first = false;
      nextToken = page.NextToken;
    } while (nextToken);
    return rows;
  }

  return {
    name: 'athena',
    async run(statement, queryId) {
      const started = now();
      const sql = sqlOf(statement);
      const parameters = statement.parameters.map(parameterLiteral);
      let id = queryId;
      let current: QueryExecution;
      if (id !== undefined) {
        current = await ownExecution(id, sql, parameters);
      } else {
        const start = await client.send(
          new StartQueryExecutionCommand({
            QueryString: sql,
            WorkGroup: settings.workGroup,
            QueryExecutionContext: { Database: settings.database },
            ...(parameters.length > 0 ? { ExecutionParameters: parameters } : {}),
          }),
        );
        if (!start.QueryExecutionId) throw new Error('Athena started a query without an id');
        id = start.QueryExecutionId;
        current = await execution(id);
      }

      let poll = FIRST_POLL_MS;
      for (;;) {
        const state = current.Status?.State;
        if (state === 'SUCCEEDED') {
          const scanned = current.Statistics?.DataScannedInBytes;
          return { state: 'done', rows: await rowsOf(id), ...(scanned !== undefined ? { scannedBytes: scanned } : {}) };
        }
        if (state === 'FAILED' || state === 'CANCELLED') {
          const reason = [current.Status?.StateChangeReason, current.Status?.AthenaError?.ErrorMessage].filter(Boolean).join(' ');
          if (OVER_CUTOFF.test(reason)) throw new CubeQueryTooLargeError();
          throw new Error(`Athena query ${id} ${state}: ${reason}`);
        }
        if (now() - started + poll > settings.waitMs) return { state: 'running', queryId: id, retryAfterSeconds };
        await sleep(poll);
        poll = Math.min(poll * 2, MAX_POLL_MS);
        current = await execution(id);
      }
    },
  };
}

/** The query text as Athena reports it back may differ in whitespace only. */
const squeezed = (sql: string) => sql.replace(/\s+/g, ' ').trim();

function cell(type: string, value: string | undefined): RawCell {
  if (value === undefined) return null;
  if (NUMERIC.has(type.toLowerCase())) return Number(value);
  if (type.toLowerCase() === 'boolean') return value === 'true';
  return value;
}
