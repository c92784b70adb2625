import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTableClient } from '#functions/shared/table-client.ts';
import { ensureTable } from '#infra/local/create-table.ts';
import { LOCAL_AWS, startDynamoDbLocal } from '#infra/local/dynamodb-local.ts';

export interface RequestLog {
  /** DynamoDB operations sent since the last call (e.g. `GetItem`), in order; clears the log. */
  take(): string[];
}

export interface BenchTable {
  readonly tableName: string;
  /** Built by the same factory as the Lambda's composition root, pointed at DynamoDB Local. */
  readonly client: DynamoDBDocumentClient;
  readonly requests: RequestLog;
  stop(): Promise<void>;
}

/** DynamoDB Local on a free port with the production table definition; stop() ends the Java process. */
export async function startBenchTable(): Promise<BenchTable> {
  const local = await startDynamoDbLocal({ port: 0 });
  const tableName = `bench-${randomUUID()}`;
  const raw = new DynamoDBClient({ endpoint: local.endpoint, ...LOCAL_AWS });
  const client = createTableClient({ endpoint: local.endpoint, ...LOCAL_AWS });
  try {
    await ensureTable(raw, tableName);
  } catch (error) {
    client.destroy();
    await local.stop();
    throw error;
  } finally {
    raw.destroy();
  }
  return {
    tableName,
    client,
    requests: logRequests(client),
    async stop() {
      client.destroy();
      await local.stop();
    },
  };
}

/**
 * Records every HTTP request the client sends. The deserialize step sits inside the retry loop,
 * so a retried call counts twice: this is what DynamoDB bills and what adds latency.
 */
export function logRequests(client: DynamoDBDocumentClient): RequestLog {
  let sent: string[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const headers = (args.request as { headers?: Record<string, string> }).headers ?? {};
      const target = Object.entries(headers).find(([name]) => name.toLowerCase() === 'x-amz-target')?.[1];
      sent.push(target?.split('.').at(-1) ?? String(context.commandName).replace(/Command$/, ''));
      return next(args);
    },
    { step: 'deserialize', name: 'benchRequestLog', priority: 'low' },
  );
  return {
    take() {
      const taken = sent;
      sent = [];
      return taken;
    },
  };
}
