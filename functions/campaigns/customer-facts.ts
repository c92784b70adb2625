import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { caseFacts, type CaseFacts, type CustomerFacts, type RuleNeeds, type ScoreFacts } from '#domain/campaigns/segment-rule.ts';
import type { ConsentState } from '#domain/consent/consent.schema.ts';
import { TABLE } from '#infra/table.ts';
import { scoresKey, scoresOf } from '../analytics/analytics.keys.ts';
import { fromCaseItem } from '../cases/case.keys.ts';
import { stateKey } from '../consent/consent.dynamodb-repository.ts';
import { ALL_CUSTOMERS, customerKey, fromProfileItem } from '../customers/customer.keys.ts';
import type { Db } from '../shared/db.ts';
import { batchGet, queryAll } from '../shared/dynamo-batch.ts';

// What a segment rule is evaluated against, read for one customer or for a scanned page of
// profiles: only what the rule names (consent states of its topics, case counts when it asks, the
// analytics scores when it names scores.*: CUSTOMER#<id>/SCORES, in the customer's partition).

/** Case queries of one scanned page run this many at a time. */
const CASE_QUERIES_AT_ONCE = 16;

/** A profile a segment can hold: a customer's (not a merged-away tombstone, not being erased). */
export function isMemberProfile(item: Record<string, unknown> | undefined): item is Record<string, unknown> {
  return !!item && item[TABLE.indexes.byCreatedAt.partitionKey] === ALL_CUSTOMERS && item.mergedInto === undefined && item.erasingSince === undefined;
}

export function customerFactsReader(db: Pick<Db, 'client' | 'tableName' | 'clock'>) {
  const { client, tableName } = db;

  async function casesOf(customerId: string, now: Date): Promise<CaseFacts> {
    const cases = [];
    for await (const page of queryAll(client, {
      TableName: tableName,
      IndexName: TABLE.indexes.byCustomer.name,
      KeyConditionExpression: '#p = :p',
      ExpressionAttributeNames: { '#p': TABLE.indexes.byCustomer.partitionKey },
      ExpressionAttributeValues: { ':p': `CASES_OF#${customerId}` },
    })) {
      cases.push(...page.map(fromCaseItem));
    }
    return caseFacts(cases, now);
  }

  async function consentOf(customerIds: readonly string[], topics: readonly string[]): Promise<Map<string, Record<string, ConsentState>>> {
    const states = new Map<string, Record<string, ConsentState>>(customerIds.map((id) => [id, {}]));
    if (topics.length === 0 || customerIds.length === 0) return states;
    const items = await batchGet(client, tableName, customerIds.flatMap((id) => topics.map((topic) => stateKey(id, topic))));
    for (const item of items) {
      const customerId = String(item.pk).slice('CONSENT#'.length);
      states.get(customerId)![String(item.sk).slice('STATE#'.length)] = item.state as ConsentState;
    }
    return states;
  }

  /** The scores of those that have them, by customer id: one BatchGetItem per 100 customers. */
  async function scoresOfAll(customerIds: readonly string[]): Promise<Map<string, ScoreFacts>> {
    const items = await batchGet(client, tableName, customerIds.map(scoresKey));
    return new Map(items.map((item) => [scoresOf(item).customerId, scoresOf(item)]));
  }

  /** Facts of scanned profile items (already known to be members), in their order; `scores` when already read. */
  async function forProfiles(items: readonly Record<string, unknown>[], needs: RuleNeeds, now: Date, known?: Map<string, ScoreFacts>): Promise<CustomerFacts[]> {
    const profiles = items.map(fromProfileItem);
    const scores = needs.scores ? (known ?? (await scoresOfAll(profiles.map((p) => p.id)))) : undefined;
    const consent = await consentOf(
      profiles.map((p) => p.id),
      needs.consentTopics,
    );
    const cases = new Map<string, CaseFacts>();
    if (needs.cases) {
      for (let start = 0; start < profiles.length; start += CASE_QUERIES_AT_ONCE) {
        const slice = profiles.slice(start, start + CASE_QUERIES_AT_ONCE);
        (await Promise.all(slice.map((p) => casesOf(p.id, now)))).forEach((facts, i) => cases.set(slice[i]!.id, facts));
      }
    }
    return profiles.map((profile) => {
      const found = scores?.get(profile.id);
      return { profile, consent: consent.get(profile.id) ?? {}, ...(needs.cases ? { cases: cases.get(profile.id)! } : {}), ...(found ? { scores: found } : {}) };
    });
  }

  /**
   * Facts of one customer (its profile: a GetItem, or with its scores in one BatchGetItem when the
   * rule names them; a BatchGetItem of the named topics; a Query of its cases); undefined when not
   * a member profile.
   */
  async function forCustomer(customerId: string, needs: RuleNeeds, now: Date): Promise<CustomerFacts | undefined> {
    if (!needs.scores) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: customerKey(customerId), ConsistentRead: true }));
      return isMemberProfile(Item) ? (await forProfiles([Item], needs, now))[0] : undefined;
    }
    const items = await batchGet(client, tableName, [customerKey(customerId), scoresKey(customerId)]);
    const profile = items.find((item) => item.sk === customerKey(customerId).sk);
    if (!isMemberProfile(profile)) return undefined;
    const scores = items.find((item) => item.sk === scoresKey(customerId).sk);
    return (await forProfiles([profile], needs, now, new Map(scores ? [[customerId, scoresOf(scores)]] : [])))[0];
  }

  return { forProfiles, forCustomer };
}
