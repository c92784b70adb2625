import { GetCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { Audience, AudienceSink, ScanRun } from '#domain/campaigns/campaign.ports.ts';
import { SegmentNotFoundError } from '#domain/campaigns/segment.ts';
import type { SegmentScans } from '#domain/campaigns/segment.repository.ts';
import { type CustomerFacts, matches, type RuleNeeds, ruleNeeds } from '#domain/campaigns/segment-rule.ts';
import type { CustomerSummary, Rule } from '#domain/campaigns/segment.schema.ts';
import { TABLE } from '#infra/table.ts';
import { ALL_CUSTOMERS } from '../customers/customer.keys.ts';
import { type Db, NOT_EXISTS, put } from '../shared/db.ts';
import { commit } from '../shared/transaction.ts';
import { scanPartKey, segmentKey } from './campaign.keys.ts';
import { customerFactsReader } from './customer-facts.ts';

// Segment membership: for one customer (a few key reads), counted now (a parallel scan), and the
// durable scan: one item per scan part, which the table stream hands to the audienceScanner one
// page at a time (audience-scanner.handler.ts); each page's members go to the sink of the run's
// purpose, then the part moves on under a condition on the page it read. No invocation loops over
// everyone, a crash repeats only the page it was on, and memory holds one page.

const BY_CREATED = TABLE.indexes.byCreatedAt;

export interface AudienceOptions {
  /** Parallel scan parts (DynamoDB Scan TotalSegments) of a preview and of a durable scan. */
  readonly parts?: number;
  /** Items a scan page reads (Scan Limit, before the filter). */
  readonly pageSize?: number;
}

export const DEFAULT_SCAN_PARTS = 4;
export const DEFAULT_SCAN_PAGE_SIZE = 500;

/** Only customers' profiles that a segment can hold: not merged away, not being erased. */
const MEMBER_FILTER = '#c = :customers AND attribute_not_exists(mergedInto) AND attribute_not_exists(erasingSince)';

/** The run id follows from purpose and target, so a retried start finds its parts instead of making new ones. */
export const runIdOf = (purpose: ScanRun['purpose'], targetId: string) => `${purpose}-${targetId}`;

interface ScanPartItem {
  readonly run: ScanRun;
  readonly part: number;
  readonly page: number;
  readonly startKey: Record<string, unknown> | undefined;
  readonly rule: Rule;
  readonly done: boolean;
}

function fromPartItem(item: Record<string, unknown>): ScanPartItem {
  return {
    run: {
      runId: String(item.runId),
      purpose: item.purpose as ScanRun['purpose'],
      segmentId: String(item.segmentId),
      targetId: String(item.targetId),
      parts: Number(item.parts),
    },
    part: Number(item.part),
    page: Number(item.page),
    startKey: (item.startKey ?? undefined) as Record<string, unknown> | undefined,
    rule: item.rule as Rule,
    done: item.done === true,
  };
}

export function audienceFor(db: Db, options: AudienceOptions = {}) {
  const { client, tableName, clock } = db;
  const parts = options.parts ?? DEFAULT_SCAN_PARTS;
  const pageSize = options.pageSize ?? DEFAULT_SCAN_PAGE_SIZE;
  const facts = customerFactsReader(db);

  async function ruleOf(segmentId: string): Promise<Rule> {
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: segmentKey(segmentId), ConsistentRead: true, ProjectionExpression: '#r', ExpressionAttributeNames: { '#r': 'rule' } }));
    if (!Item) throw new SegmentNotFoundError(segmentId);
    return Item.rule as Rule;
  }

  /** How many parts a run was started with (a retried start may run with another setting). */
  async function partsOf(runId: string): Promise<number> {
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: scanPartKey(runId, 0), ConsistentRead: true, ProjectionExpression: '#n', ExpressionAttributeNames: { '#n': 'parts' } }));
    return Number(Item?.parts ?? parts);
  }

  /** One page of one scan part: the member profiles on it, with the facts the rule needs. */
  async function scanPage(part: number, totalParts: number, startKey: Record<string, unknown> | undefined, needs: RuleNeeds, limit = pageSize) {
    const out = await client.send(
      new ScanCommand({
        TableName: tableName,
        IndexName: BY_CREATED.name,
        Segment: part,
        TotalSegments: totalParts,
        Limit: limit,
        FilterExpression: MEMBER_FILTER,
        ExpressionAttributeNames: { '#c': BY_CREATED.partitionKey },
        ExpressionAttributeValues: { ':customers': ALL_CUSTOMERS },
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    const profiles = await facts.forProfiles(out.Items ?? [], needs, clock.now());
    return { profiles, nextKey: out.LastEvaluatedKey as Record<string, unknown> | undefined };
  }

  const members = (rule: Rule, page: readonly CustomerFacts[], now: Date) => page.filter((f) => matches(rule, f, now));

  const audience: Audience = {
    async includes(segmentId, customerId) {
      const rule = await ruleOf(segmentId);
      const now = clock.now();
      const found = await facts.forCustomer(customerId, ruleNeeds(rule), now);
      return found !== undefined && matches(rule, found, now);
    },

    /**
     * Creates every part item in one transaction. When they exist already (a retried start), it
     * creates nothing and touches the parts not yet done: a part whose stream record ran out of
     * retries (it went to the on-failure destination) gets a new record and resumes at its page;
     * a part that is moving meanwhile only gets one more record, and steps read the part as it is.
     */
    async startScan(start, _context) {
      const rule = await ruleOf(start.segmentId);
      const run: ScanRun = { ...start, runId: runIdOf(start.purpose, start.targetId), parts };
      const now = clock.now().toISOString();
      const items = Array.from({ length: parts }, (_, part) =>
        put(db, { ...scanPartKey(run.runId, part), type: 'ScanPart', ...run, part, page: 0, done: false, rule, startedAt: now }, NOT_EXISTS),
      );
      if (!(await commit(client, items))) return run;
      const started = { ...run, parts: await partsOf(run.runId) };
      for (let part = 0; part < started.parts; part++) {
        try {
          await client.send(
            new UpdateCommand({
              TableName: tableName,
              Key: scanPartKey(run.runId, part),
              UpdateExpression: 'SET nudgedAt = :now',
              ConditionExpression: '#done = :false',
              ExpressionAttributeNames: { '#done': 'done' },
              ExpressionAttributeValues: { ':now': now, ':false': false },
            }),
          );
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        }
      }
      return started;
    },
  };

  const scans: SegmentScans = {
    /** Every part scanned concurrently to its end; only the count and the first `limit` members are kept. */
    async preview(rule, limit) {
      const needs = ruleNeeds(rule);
      const now = clock.now();
      let count = 0;
      const sample: CustomerSummary[] = [];
      await Promise.all(
        Array.from({ length: parts }, async (_, part) => {
          let startKey: Record<string, unknown> | undefined;
          do {
            const page = await scanPage(part, parts, startKey, needs);
            for (const { profile } of members(rule, page.profiles, now)) {
              count++;
              if (sample.length < limit) {
                sample.push({ id: profile.id, email: profile.email, firstName: profile.firstName, lastName: profile.lastName, createdAt: profile.createdAt });
              }
            }
            startKey = page.nextKey;
          } while (startKey);
        }),
      );
      return { count, sample };
    },
  };

  /**
   * One step of a durable scan, for the part item the stream brought: reads the part as it is now
   * (a redelivered record of a page already done changes nothing), scans its page, hands the
   * members to the sink, then advances the part if it is still on that page.
   */
  async function step(runId: string, part: number, sinks: Record<ScanRun['purpose'], AudienceSink>): Promise<'advanced' | 'skipped'> {
    const key = scanPartKey(runId, part);
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
    if (!Item || Item.done === true) return 'skipped';
    const current = fromPartItem(Item);
    const now = clock.now();
    const page = await scanPage(part, current.run.parts, current.startKey, ruleNeeds(current.rule));
    const customerIds = members(current.rule, page.profiles, now).map((f) => f.profile.id);
    const last = page.nextKey === undefined;
    await sinks[current.run.purpose].accept(current.run, { part, page: current.page, customerIds, last }, { correlationId: `scan-${runId}` });
    try {
      await client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression: last ? 'SET #page = :next, #done = :true, finishedAt = :now REMOVE startKey' : 'SET #page = :next, startKey = :key',
          ConditionExpression: '#page = :read AND #done = :false',
          ExpressionAttributeNames: { '#page': 'page', '#done': 'done' },
          ExpressionAttributeValues: {
            ':read': current.page,
            ':next': current.page + 1,
            ':false': false,
            ...(last ? { ':true': true, ':now': now.toISOString() } : { ':key': page.nextKey }),
          },
        }),
      );
      return 'advanced';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'skipped';
      throw error;
    }
  }

  return { ...audience, audience, scans, step };
}

export type AudienceScanner = ReturnType<typeof audienceFor>;
