import { AthenaClient, GetQueryExecutionCommand, GetQueryResultsCommand, InvalidRequestException, StartQueryExecutionCommand, type QueryExecution } from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cubeReports, cubeStatement, cubeQueryOf, CubeQueryNotFoundError, CubeQueryTooLargeError } from '#domain/analytics/cube.use-cases.ts';
import { athenaCubeEngine } from '#functions/analytics/cube-athena.engine.ts';

// The Athena adapter at the SDK edge: the statement runs in the workgroup with its values as
// ExecutionParameters (never in the SQL), polling until done, results paged and typed; a query
// still running at the wait's end is answered with its id and collected later by that id only for
// the same statement; the bytes-scanned cutoff is a 422.

const athena = mockClient(AthenaClient);
const QUERY_ID = '2f1c9a57-3b7e-4c1a-9d55-0a4f7e1b2c3d';
const settings = { workGroup: 'crm-analytics', database: 'crm_analytics', waitMs: 20_000 };

/** A virtual clock: sleeping advances it, so a test of a 20 s wait takes no time. */
function virtualTime() {
  let now = 0;
  return { now: () => now, sleep: async (ms: number) => void (now += ms) };
}
const engine = (over: Partial<typeof settings> = {}) => athenaCubeEngine(new AthenaClient({}), { ...settings, ...virtualTime(), ...over });
const params = { measure: 'interactions', by: 'day,channel', from: '2026-03-01', to: '2026-03-31', filter: "channel:web" };
const statement = cubeStatement(cubeQueryOf(params));
const execution = (state: string, over: Partial<QueryExecution> = {}): { QueryExecution: QueryExecution } => ({
  QueryExecution: {
    QueryExecutionId: QUERY_ID,
    WorkGroup: 'crm-analytics',
    Query: statement.sql.replace('{{interactions}}', '"crm_analytics"."interactions"'),
    ExecutionParameters: ["'2026-03-01'", "'2026-03-31'", "'web'"],
    Status: { State: state as 'SUCCEEDED' },
    Statistics: { DataScannedInBytes: 123_456 },
    ...over,
  },
});
const header = { Data: [{ VarCharValue: 'day' }, { VarCharValue: 'channel' }, { VarCharValue: 'interactions' }] };
const columns = { ColumnInfo: [{ Name: 'day', Type: 'varchar' }, { Name: 'channel', Type: 'varchar' }, { Name: 'interactions', Type: 'bigint' }].map((c) => ({ ...c, Label: c.Name })) };
const row = (day: string, channel: string | undefined, count: number) => ({ Data: [{ VarCharValue: day }, channel === undefined ? {} : { VarCharValue: channel }, { VarCharValue: String(count) }] });

beforeEach(() => {
  athena.reset();
  athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: QUERY_ID });
});
afterEach(() => athena.reset());

describe('athenaCubeEngine', () => {
  it('starts the statement in the workgroup and database with the values as parameters, polls, and pages the typed results', async () => {
    athena.on(GetQueryExecutionCommand).resolvesOnce(execution('QUEUED')).resolvesOnce(execution('RUNNING')).resolves(execution('SUCCEEDED'));
    athena
      .on(GetQueryResultsCommand)
      .resolvesOnce({ ResultSet: { ResultSetMetadata: columns, Rows: [header, row('2026-03-01', 'web', 3)] }, NextToken: 'page-2' })
      .resolvesOnce({ ResultSet: { ResultSetMetadata: columns, Rows: [row('2026-03-02', undefined, 1)] } });

    const answer = await cubeReports({ engine: engine() }).query(params);

    const [start] = athena.commandCalls(StartQueryExecutionCommand).map((c) => c.args[0].input);
    expect(start).toMatchObject({ WorkGroup: 'crm-analytics', QueryExecutionContext: { Database: 'crm_analytics' }, ExecutionParameters: ["'2026-03-01'", "'2026-03-31'", "'web'"] });
    expect(start!.QueryString).toContain('FROM "crm_analytics"."interactions" s');
    expect(start!.QueryString).not.toMatch(/2026-03|web'/);
    expect(athena.commandCalls(GetQueryExecutionCommand)).toHaveLength(3);
    expect(athena.commandCalls(GetQueryResultsCommand).map((c) => c.args[0].input.NextToken)).toEqual([undefined, 'page-2']);
    expect(answer).toEqual({
      measure: 'interactions',
      by: ['day', 'channel'],
      from: '2026-03-01',
      to: '2026-03-31',
      filter: { channel: 'web' },
      rows: [
        { day: '2026-03-01', channel: 'web', interactions: 3 },
        { day: '2026-03-02', channel: null, interactions: 1 },
      ],
      engine: 'athena',
      scannedBytes: 123_456,
    });
  });

  it('doubles quotes inside a parameter literal, so a value cannot end its literal', async () => {
    athena.on(GetQueryExecutionCommand).resolves(execution('SUCCEEDED'));
    athena.on(GetQueryResultsCommand).resolves({ ResultSet: { ResultSetMetadata: columns, Rows: [header] } });
    await engine().run({ sql: 'SELECT 1 FROM {{consents}} s WHERE s."topic" = ?', parameters: ["it's"], tables: ['consents'], days: { from: '2026-03-01', to: '2026-03-31' } });
    expect(athena.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input.ExecutionParameters).toEqual(["'it''s'"]);
  });

  it('answers "running" with the query id when Athena is not done within the wait, without stopping it', async () => {
    athena.on(GetQueryExecutionCommand).resolves(execution('RUNNING'));
    const answer = await cubeReports({ engine: engine() }).query(params);
    expect(answer).toEqual({ status: 'running', queryId: QUERY_ID, engine: 'athena', retryAfter: 5 });
    expect(athena.commandCalls(GetQueryResultsCommand)).toHaveLength(0);
    // It polled for (about) the whole wait, not once.
    expect(athena.commandCalls(GetQueryExecutionCommand).length).toBeGreaterThan(15);
  });

  it('collects a running query by its id without starting another, for the same statement only', async () => {
    athena.on(GetQueryExecutionCommand).resolves(execution('SUCCEEDED'));
    athena.on(GetQueryResultsCommand).resolves({ ResultSet: { ResultSetMetadata: columns, Rows: [header, row('2026-03-01', 'web', 3)] } });
    const answer = await cubeReports({ engine: engine() }).query({ ...params, queryId: QUERY_ID });
    expect('rows' in answer && answer.rows).toEqual([{ day: '2026-03-01', channel: 'web', interactions: 3 }]);
    expect(athena.commandCalls(StartQueryExecutionCommand)).toHaveLength(0);

    // Another measure, other values or another workgroup's query: not this caller's to read.
    await expect(cubeReports({ engine: engine() }).query({ ...params, filter: 'channel:phone', queryId: QUERY_ID })).rejects.toBeInstanceOf(CubeQueryNotFoundError);
    await expect(cubeReports({ engine: engine() }).query({ ...params, measure: 'revenue', by: 'month', filter: undefined, queryId: QUERY_ID })).rejects.toBeInstanceOf(CubeQueryNotFoundError);
    athena.on(GetQueryExecutionCommand).resolves(execution('SUCCEEDED', { WorkGroup: 'primary' }));
    await expect(cubeReports({ engine: engine() }).query({ ...params, queryId: QUERY_ID })).rejects.toBeInstanceOf(CubeQueryNotFoundError);
    athena.on(GetQueryExecutionCommand).rejects(new InvalidRequestException({ message: 'QueryExecution 2f1c... was not found', $metadata: {} }));
    await expect(cubeReports({ engine: engine() }).query({ ...params, queryId: QUERY_ID })).rejects.toBeInstanceOf(CubeQueryNotFoundError);
    expect(athena.commandCalls(GetQueryResultsCommand)).toHaveLength(1);
  });

  it('turns the workgroup cutoff into CubeQueryTooLargeError, and any other failure into an error', async () => {
    athena.on(GetQueryExecutionCommand).resolves(execution('CANCELLED', { Status: { State: 'CANCELLED', StateChangeReason: 'Query cancelled! : Bytes scanned limit was exceeded' } }));
    await expect(engine().run(statement)).rejects.toBeInstanceOf(CubeQueryTooLargeError);
    athena.on(GetQueryExecutionCommand).resolves(execution('FAILED', { Status: { State: 'FAILED', StateChangeReason: 'HIVE_BAD_DATA: wrong type' } }));
    await expect(engine().run(statement)).rejects.toThrow(/FAILED: HIVE_BAD_DATA/);
  });

  it('refuses a database name that is not an identifier, and a table token that is not a warehouse table', async () => {
    expect(() => engine({ database: 'x"; DROP' })).toThrow(/database/);
    await expect(engine().run({ sql: 'SELECT 1 FROM {{secrets}}', parameters: [], tables: [], days: { from: '2026-03-01', to: '2026-03-31' } })).rejects.toThrow(/warehouse table/);
  });
});
