import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { meter } from './metering.ts';

// Asks DynamoDB for the capacity every call consumed (ReturnConsumedCapacity: TOTAL costs nothing
// and adds a few bytes to the answer) and adds it to the invocation's tally (metering.ts). On
// on-demand tables a consumed read or write capacity unit is one billed request unit.

const READS = ['Get', 'BatchGet', 'TransactGet', 'Query', 'Scan'];
const WRITES = ['Put', 'Update', 'Delete', 'BatchWrite', 'TransactWrite'];
const PARTIQL = ['ExecuteStatement', 'BatchExecuteStatement', 'ExecuteTransaction'];

/** Document-client and low-level names alike: GetCommand and GetItemCommand, TransactWriteCommand and TransactWriteItemsCommand. */
function kindOf(commandName: string | undefined): 'read' | 'write' | 'partiql' | undefined {
  const base = commandName?.replace(/Command$/, '').replace(/Items?$/, '');
  if (!base) return undefined;
  if (READS.includes(base)) return 'read';
  if (WRITES.includes(base)) return 'write';
  if (PARTIQL.includes(base)) return 'partiql';
  return undefined;
}

/** Read and write units of one answer's ConsumedCapacity (one entry, or one per table of a batch or transaction). */
export function unitsOf(consumed: ConsumedCapacity | readonly ConsumedCapacity[] | undefined, kind: 'read' | 'write'): { read: number; write: number } {
  let read = 0;
  let write = 0;
  for (const entry of consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed as ConsumedCapacity]) {
    if (entry.ReadCapacityUnits !== undefined || entry.WriteCapacityUnits !== undefined) {
      read += entry.ReadCapacityUnits ?? 0;
      write += entry.WriteCapacityUnits ?? 0;
    } else if (kind === 'read') read += entry.CapacityUnits ?? 0;
    else write += entry.CapacityUnits ?? 0;
  }
  return { read, write };
}

/** PartiQL: a SELECT reads, anything else writes (statements of a batch or transaction each count). */
function partiqlKind(input: Record<string, unknown>): 'read' | 'write' {
  const statements = [input.Statement, ...((input.Statements as { Statement?: string }[] | undefined) ?? []).map((s) => s.Statement), ...((input.TransactStatements as { Statement?: string }[] | undefined) ?? []).map((s) => s.Statement)];
  return statements.every((s) => typeof s !== 'string' || /^\s*select\b/i.test(s)) ? 'read' : 'write';
}

/** Adds the middleware to a client's stack (shared by the document client and the client it wraps). */
export function meterConsumedCapacity(client: DynamoDBDocumentClient): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const kind = kindOf(context.commandName);
      if (!kind) return next(args);
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity ??= 'TOTAL';
      const result = await next(args);
      const consumed = (result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }).ConsumedCapacity;
      const units = unitsOf(consumed, kind === 'partiql' ? partiqlKind(input) : kind);
      meter.capacity(units.read, units.write);
      return result;
    },
    { step: 'initialize', name: 'meterConsumedCapacity', override: true },
  );
}
