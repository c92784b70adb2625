import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ALL_INDEXES, TABLE } from '#infra/table.ts';

// Which partition keys each table request names: the seam of the key-prefix test (issue 14,
// "each context's role is limited to its own key prefixes"). IAM's `dynamodb:LeadingKeys` is the
// set of partition-key values a request names, item by item for batches and transactions
// (README "Security"); this reads the same values from the request before it is sent, so the
// test can show that every function names only its context's prefixes (infra/key-prefixes.ts).
// Nothing listens on Lambda: the middleware is one length check per call there.

export interface TableRequest {
  /** The operation without `Command`: Get, Put, Update, Delete, Query, Scan, BatchGet, BatchWrite, TransactGet, TransactWrite. */
  readonly operation: string;
  /** The index a Query or Scan reads; absent for the table. */
  readonly index?: string;
  /**
   * Every partition-key value the request names: the key of a single-item request, the partition
   * of a Query (the index's own partition key on an index), each item's of a batch or transaction.
   * Empty for a Scan.
   */
  readonly partitionKeys: readonly string[];
  /** The function whose invocation sent it (the local runtime names it; undefined outside one). */
  readonly functionName?: string;
}

export type TableRequestListener = (request: TableRequest) => void;

const listeners: TableRequestListener[] = [];
const invocations = new AsyncLocalStorage<string>();

/** Registers a listener for every table request of this process; returns its removal. */
export function onTableRequest(listener: TableRequestListener): () => void {
  listeners.push(listener);
  return () => {
    const at = listeners.indexOf(listener);
    if (at >= 0) listeners.splice(at, 1);
  };
}

/** Runs one invocation of `functionName` (the local runtime: every function shares one process and one client). */
export function asFunction<T>(functionName: string, run: () => T): T {
  return invocations.run(functionName, run);
}

type Item = Record<string, unknown>;

/** A key attribute's value as the document client holds it, or marshalled (`{S: ...}`) once its own middleware ran. */
function stringOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as { S?: unknown }).S === 'string') return (value as { S: string }).S;
  return undefined;
}

const keyOf = (item: unknown): string[] => {
  const value = stringOf((item as Item | undefined)?.[TABLE.partitionKey]);
  return value === undefined ? [] : [value];
};

/** The partition value of a Query: the equality on the (index's) partition key in its KeyConditionExpression. */
function queryPartition(input: Item): string[] {
  const index = ALL_INDEXES.find((i) => i.name === input.IndexName);
  const attribute = index ? index.partitionKey : TABLE.partitionKey;
  const names = (input.ExpressionAttributeNames ?? {}) as Record<string, string>;
  const values = (input.ExpressionAttributeValues ?? {}) as Record<string, unknown>;
  for (const clause of String(input.KeyConditionExpression ?? '').split(/\s+and\s+/i)) {
    const equality = /^\(?\s*([#\w]+)\s*=\s*(:\w+)\s*\)?$/.exec(clause.trim());
    if (!equality) continue;
    const name = equality[1]!.startsWith('#') ? names[equality[1]!] : equality[1];
    const value = stringOf(values[equality[2]!]);
    if (name === attribute && value !== undefined) return [value];
  }
  return [];
}

/** Every partition key a request names, from its command name and input. */
export function tableRequestOf(commandName: string, input: Item): Omit<TableRequest, 'functionName'> {
  const operation = commandName.replace(/Command$/, '').replace(/Items?$/, '');
  switch (operation) {
    case 'Get':
    case 'Update':
    case 'Delete':
      return { operation, partitionKeys: keyOf(input.Key) };
    case 'Put':
      return { operation, partitionKeys: keyOf(input.Item) };
    case 'Query':
      return { operation, ...(input.IndexName ? { index: String(input.IndexName) } : {}), partitionKeys: queryPartition(input) };
    case 'Scan':
      return { operation, ...(input.IndexName ? { index: String(input.IndexName) } : {}), partitionKeys: [] };
    case 'BatchGet':
      return { operation, partitionKeys: Object.values((input.RequestItems ?? {}) as Record<string, { Keys?: unknown[] }>).flatMap((t) => (t.Keys ?? []).flatMap(keyOf)) };
    case 'BatchWrite':
      return {
        operation,
        partitionKeys: Object.values((input.RequestItems ?? {}) as Record<string, { PutRequest?: { Item?: unknown }; DeleteRequest?: { Key?: unknown } }[]>).flatMap((requests) =>
          requests.flatMap((r) => keyOf(r.PutRequest?.Item ?? r.DeleteRequest?.Key)),
        ),
      };
    case 'TransactGet':
      return { operation, partitionKeys: ((input.TransactItems ?? []) as { Get?: { Key?: unknown } }[]).flatMap((t) => keyOf(t.Get?.Key)) };
    case 'TransactWrite':
      return {
        operation,
        partitionKeys: ((input.TransactItems ?? []) as { Put?: { Item?: unknown }; Update?: { Key?: unknown }; Delete?: { Key?: unknown }; ConditionCheck?: { Key?: unknown } }[]).flatMap((t) =>
          keyOf(t.Put?.Item ?? t.Update?.Key ?? t.Delete?.Key ?? t.ConditionCheck?.Key),
        ),
      };
    default:
      return { operation, partitionKeys: [] };
  }
}

/** Adds the recorder to a client's stack (shared by the document client and the client it wraps). */
export function recordTableRequests(client: DynamoDBDocumentClient): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (listeners.length > 0 && context.commandName) {
        const functionName = invocations.getStore();
        const request: TableRequest = { ...tableRequestOf(context.commandName, args.input as Item), ...(functionName ? { functionName } : {}) };
        for (const listener of listeners) listener(request);
      }
      return next(args);
    },
    { step: 'initialize', name: 'recordTableRequests', override: true },
  );
}
