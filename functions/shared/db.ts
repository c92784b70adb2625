import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DomainEvent } from '#events/define-event.ts';
import type { Clock, CommandContext, IdGenerator } from '#domain/shared/ports.ts';
import { outboxPuts, type TransactItem } from './outbox.ts';

/** What every part of the customers adapter needs: the table and the ports for outbox ids. */
export interface Db {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly ids: IdGenerator;
  readonly clock: Clock;
}

type Values = Record<string, unknown>;

export const NOT_EXISTS = 'attribute_not_exists(pk)';
/** A profile that may still be written: not merged away, not being erased. */
export const WRITABLE = 'attribute_exists(pk) AND attribute_not_exists(mergedInto) AND attribute_not_exists(erasingSince)';

export function put(db: Db, Item: Values, ConditionExpression?: string, values?: Values): TransactItem {
  return {
    Put: {
      TableName: db.tableName,
      Item,
      ...(ConditionExpression ? { ConditionExpression } : {}),
      ...(values ? { ExpressionAttributeValues: values } : {}),
    },
  };
}

export function del(db: Db, Key: Values, ConditionExpression?: string, values?: Values): TransactItem {
  return {
    Delete: {
      TableName: db.tableName,
      Key,
      ...(ConditionExpression ? { ConditionExpression } : {}),
      ...(values ? { ExpressionAttributeValues: values } : {}),
    },
  };
}

/** UpdateItem that SETs the given attributes (undefined or null values are REMOVEd). */
export function update(db: Db, Key: Values, set: Values, condition?: { expression: string; values?: Values }): TransactItem {
  const names: Record<string, string> = {};
  const values: Values = { ...condition?.values };
  const sets: string[] = [];
  const removes: string[] = [];
  Object.entries(set).forEach(([name, value], i) => {
    names[`#a${i}`] = name;
    if (value === undefined || value === null) removes.push(`#a${i}`);
    else {
      values[`:v${i}`] = value;
      sets.push(`#a${i} = :v${i}`);
    }
  });
  const expression = [sets.length ? `SET ${sets.join(', ')}` : '', removes.length ? `REMOVE ${removes.join(', ')}` : ''].filter(Boolean).join(' ');
  return {
    Update: {
      TableName: db.tableName,
      Key,
      UpdateExpression: expression,
      ExpressionAttributeNames: names,
      ...(Object.keys(values).length ? { ExpressionAttributeValues: values } : {}),
      ...(condition ? { ConditionExpression: condition.expression } : {}),
    },
  };
}

export const events = (db: Db, list: readonly DomainEvent[], context: CommandContext) => outboxPuts(db.tableName, list, context, db);
