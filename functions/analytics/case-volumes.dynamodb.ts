import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { CaseVolumeSource } from '#domain/analytics/case-forecast.use-cases.ts';
import type { Db } from '../shared/db.ts';
import { queryAll } from '../shared/dynamo-batch.ts';
import { REPORT_DAY_PREFIX, reportDayKey } from '../cases/case.keys.ts';

// The case volume forecast reads the cases context's report days (`REPORT#SLA#<queue>` /
// `DAY#<yyyy-mm-dd>`, written with every case change in the change's own transaction): the
// `opened` counter per day. Two queries on one partition, no index; 8 weeks are one page.

export function dynamoCaseVolumes({ client, tableName }: Pick<Db, 'client' | 'tableName'>): CaseVolumeSource {
  return {
    async firstDay(queue) {
      const { pk } = reportDayKey(queue, '');
      const { Items } = await client.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :day)',
          ExpressionAttributeValues: { ':pk': pk, ':day': REPORT_DAY_PREFIX },
          ProjectionExpression: '#sk',
          ExpressionAttributeNames: { '#sk': 'sk' },
          Limit: 1,
          ConsistentRead: true,
        }),
      );
      const sk = Items?.[0]?.sk;
      return typeof sk === 'string' ? sk.slice(REPORT_DAY_PREFIX.length) : undefined;
    },
    async openedPerDay(queue, from, to) {
      const opened = new Map<string, number>();
      const low = reportDayKey(queue, from);
      for await (const page of queryAll(client, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': low.pk, ':from': low.sk, ':to': reportDayKey(queue, to).sk },
        ProjectionExpression: '#sk, #opened',
        ExpressionAttributeNames: { '#sk': 'sk', '#opened': 'opened' },
        ConsistentRead: true,
      })) {
        for (const item of page) opened.set(String(item.sk).slice(REPORT_DAY_PREFIX.length), Number(item.opened ?? 0));
      }
      return opened;
    },
  };
}
