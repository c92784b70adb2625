import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { boundedClientConfig } from '#functions/shared/bounded-client.ts';
import { TABLE_CLIENT_LIMITS } from '#functions/shared/table-client.ts';
import { LOCAL_AWS } from './dynamodb-local.ts';

// GET /health of the local runtime: the table and the local SES, each checked on its own (one
// request, bounded by the API's own request timeout: a part slower than that is down for the API
// too), so a caller sees which part is down; 503 when any is.

export type CheckStatus = 'ok' | 'down';

export interface HealthReport {
  readonly status: 'ok' | 'unavailable';
  readonly checks: { readonly table: { readonly status: CheckStatus }; readonly email: { readonly status: CheckStatus } };
}

const CHECK_TIMEOUT_MS = TABLE_CLIENT_LIMITS.requestTimeoutMs;

export function localHealth(options: { dynamodbEndpoint: string; tableName: string; sesEndpoint: string }) {
  const dynamodb = new DynamoDBClient({
    endpoint: options.dynamodbEndpoint,
    ...LOCAL_AWS,
    ...boundedClientConfig({ connectionTimeoutMs: CHECK_TIMEOUT_MS, requestTimeoutMs: CHECK_TIMEOUT_MS, maxAttempts: 1 }),
  });

  const table = async (): Promise<CheckStatus> => {
    try {
      const out = await dynamodb.send(new DescribeTableCommand({ TableName: options.tableName }));
      return out.Table?.TableStatus === 'ACTIVE' ? 'ok' : 'down';
    } catch {
      return 'down';
    }
  };
  const email = async (): Promise<CheckStatus> => {
    try {
      const response = await fetch(`${options.sesEndpoint}/health-check`, { signal: AbortSignal.timeout(CHECK_TIMEOUT_MS) });
      await response.body?.cancel();
      return response.ok ? 'ok' : 'down';
    } catch {
      return 'down';
    }
  };

  return {
    async check(): Promise<HealthReport> {
      const [tableStatus, emailStatus] = await Promise.all([table(), email()]);
      return {
        status: tableStatus === 'ok' && emailStatus === 'ok' ? 'ok' : 'unavailable',
        checks: { table: { status: tableStatus }, email: { status: emailStatus } },
      };
    },
    stop: () => dynamodb.destroy(),
  };
}
