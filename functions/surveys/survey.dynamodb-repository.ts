import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ConcurrentUpdateError } from '#domain/shared/errors.ts';
import type { SurveyRepository } from '#domain/surveys/survey.repository.ts';
import { type CsatCounters, countingDay, NO_COUNTS, type Survey } from '#domain/surveys/survey.ts';
import { toCaseItem } from '../cases/case.keys.ts';
import { customerCheck, NOT_ERASING, refusalFor } from '../customers/customer-guard.ts';
import { type Db, events, put } from '../shared/db.ts';
import { queryAll } from '../shared/dynamo-batch.ts';
import type { TransactItem } from '../shared/outbox.ts';
import { commit } from '../shared/transaction.ts';
import { COUNTER_FIELDS, csatBuckets, csatDayKey, csatPartition, fromSurveyItem, ratingTimelineItem, surveyKey, toSurveyItem } from './survey.keys.ts';

export function dynamoSurveyRepository(db: Db): SurveyRepository {
  const { client, tableName } = db;

  const guarded = (s: Survey, previousVersion: number | undefined) =>
    previousVersion === undefined ? put(db, toSurveyItem(s), 'attribute_not_exists(pk)') : put(db, toSurveyItem(s), 'version = :expected', { ':expected': previousVersion });

  /** ADDs the deltas to the survey's day in each of its buckets. */
  function counterItems(survey: Survey, deltas: Partial<CsatCounters>): TransactItem[] {
    const fields = COUNTER_FIELDS.filter((f) => (deltas[f] ?? 0) !== 0);
    if (fields.length === 0) return [];
    return csatBuckets(survey.queue!, survey.assigneeId).map(({ queue, assignee }) => ({
      Update: {
        TableName: tableName,
        Key: csatDayKey(queue, assignee, countingDay(survey)),
        UpdateExpression: `ADD ${fields.map((_, i) => `#f${i} :v${i}`).join(', ')}`,
        ExpressionAttributeNames: Object.fromEntries(fields.map((f, i) => [`#f${i}`, f])),
        ExpressionAttributeValues: Object.fromEntries(fields.map((f, i) => [`:v${i}`, deltas[f]])),
      },
    }));
  }

  async function get(caseId: string): Promise<Survey | undefined> {
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: surveyKey(caseId), ConsistentRead: true }));
    return Item ? fromSurveyItem(Item) : undefined;
  }

  return {
    get,

    async save(next, previousVersion) {
      if (await commit(client, [guarded(next, previousVersion)])) throw new ConcurrentUpdateError();
    },

    async settle(next, previousVersion, list, context) {
      const items = [guarded(next, previousVersion), ...(next.status === 'sent' ? counterItems(next, { surveysSent: 1 }) : []), ...events(db, list, context)];
      if (await commit(client, items)) throw new ConcurrentUpdateError();
    },

    async recordAnswer(write, context) {
      const { previous, next, previousCase, nextCase, policy, deltas, entryId, events: list } = write;
      const items: TransactItem[] = [
        guarded(next, previous.version),
        put(db, toCaseItem(nextCase, policy), 'version = :expected', { ':expected': previousCase.version }),
        // Erasure guard: the timeline entry and the comment are the person's; none lands once erasure began.
        customerCheck(db, nextCase.customerId, NOT_ERASING),
        put(db, ratingTimelineItem(nextCase, next.score!, next.surveyId, entryId, next.answeredAt!)),
        ...counterItems(next, deltas),
        ...events(db, list, context),
      ];
      const failed = await commit(client, items);
      if (!failed) return;
      throw failed.has(2) ? await refusalFor(db, nextCase.customerId) : new ConcurrentUpdateError();
    },

    async totals(from, to, queue, assignee) {
      let totals: CsatCounters = NO_COUNTS;
      for await (const page of queryAll(client, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': csatPartition(queue, assignee), ':from': `DAY#${from}`, ':to': `DAY#${to}` },
        ConsistentRead: true,
      })) {
        for (const item of page) {
          totals = Object.fromEntries(COUNTER_FIELDS.map((f) => [f, totals[f] + Number(item[f] ?? 0)])) as unknown as CsatCounters;
        }
      }
      return totals;
    },

    async scrubComment(caseId, customerIds) {
      for (let attempt = 1; ; attempt++) {
        const current = await get(caseId);
        if (!current || !customerIds.includes(current.customerId) || current.comment === null) return false;
        if (!(await commit(client, [guarded({ ...current, comment: null, version: current.version + 1 }, current.version)]))) return true;
        if (attempt >= 25) throw new ConcurrentUpdateError();
      }
    },
  };
}
