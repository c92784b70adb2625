import { jobKey, modelKey } from '#functions/analytics/analytics.keys.ts';
import { campaignKey, SCAN_PREFIX, SEND_PREFIX, segmentKey, snapshotPartition } from '#functions/campaigns/campaign.keys.ts';
import { agentOpenKey, caseKey, counterKey, policyKey, queueKey, reportDayKey } from '#functions/cases/case.keys.ts';
import { anonymousPartition, customerPartition, IDENTITY_PREFIX, tagPartition } from '#functions/customers/customer.keys.ts';
import { articlePartition, slugKey } from '#functions/knowledge/article.keys.ts';
import { HEADS_PARTITION } from '#functions/knowledge/search-index.keys.ts';
import { accountPartition, domainKey } from '#functions/sales/account.keys.ts';
import { ACTIVITY_PREFIX } from '#functions/sales/activity.keys.ts';
import { LEAD_PREFIX, openLeadKey } from '#functions/sales/lead.keys.ts';
import { OPPORTUNITY_PREFIX } from '#functions/sales/opportunity.keys.ts';
import { partnersKey, PRODUCT_STATS, productKey } from '#functions/sales/product.keys.ts';
import { OUTBOX_PREFIX } from '#functions/shared/outbox.ts';
import type { CostContext } from './contexts.ts';
import { contextOfEntry } from './contexts.ts';
import { FUNCTIONS, type FunctionName, ROUTE_TABLE } from './routes.ts';
import { TABLE } from './table.ts';

// Issue 14 "Protect": each context's role names on the table only the partition keys of its own
// patterns. On AWS the table statement of every function's role is conditioned on
// `ForAllValues:StringLike` `dynamodb:LeadingKeys` with its context's patterns (infra/cdk/
// crm-function.construct.ts): every partition key a request names (each item of a batch or
// transaction) must match one of them. The patterns come from the key builders the adapters use;
// test/e2e/key-prefixes.e2e.test.ts records every request of a broad flow through the local
// runtime and fails on any key outside its context's patterns. README "Security" has the table.
//
// A Query on an index names the index's partition key, which AWS does not document LeadingKeys to
// read, so index reads are a statement of their own, without the condition, limited to the
// indexes a context reads (`indexes`). Scan names no key (`ForAllValues` over no value is true), so
// it is never in the conditioned statement: only the functions in SCANS may Scan, and only those indexes.

/** IAM's StringLike: `*` any run of characters, `?` one character, everything else literal. */
export function matchesKeyPattern(value: string, pattern: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, 's').test(value);
}

/** Every partition a builder makes: what it makes of empty ids, then anything (the ids never hold a pattern character). */
const family = (build: (id: string) => string) => `${build('')}*`;
const pkOf = (key: Record<string, unknown>) => String(key[TABLE.partitionKey]);

type IndexName = (typeof TABLE.indexes)[keyof typeof TABLE.indexes]['name'];
const I = TABLE.indexes;

export interface ContextKeys {
  /** Partition-key patterns its functions may name on the table (StringLike). */
  readonly table: readonly string[];
  /** Indexes its functions may Query (without a key condition: see above). */
  readonly indexes: readonly IndexName[];
}

// What several contexts share.
/** The transactional outbox: a context's events are written with its changes (functions/shared/outbox.ts). */
const OUTBOX = `${OUTBOX_PREFIX}*`;
/** Idempotency-Key records of a context's idempotent POST routes (idempotencyKeyOf, functions/shared/idempotency.ts). */
const IDEMPOTENCY = 'IDEMPOTENCY#*';
/** The mail gate (functions/consent): delivery records, once-guards, the suppression list; functions/consent/consent.dynamodb-repository.ts and functions/shared/once-guard.ts write them. */
const MAIL = ['DELIVERY#*', 'ONCE#*', 'SUPPRESSION#*'];
/** A person's consents (functions/consent/consent.dynamodb-repository.ts): marketing mail checks them. */
const CONSENTS = 'CONSENT#*';
/** Topics and the campaign settings (consent's `CONFIG` item). */
const CONFIG = 'CONFIG';
/** Per-client counters of the public routes' rate limits (rateKey, functions/shared/rate-limit.ts). */
const RATE = 'RATE#*';
const CUSTOMERS = family(customerPartition);
const CASES = family((id) => pkOf(caseKey(id)));
const SLA_REPORTS = family((queue) => pkOf(reportDayKey(queue, '')));

const idempotentContexts = new Set(ROUTE_TABLE.filter((r) => 'idempotent' in r && r.idempotent).map((r) => contextOfEntry(FUNCTIONS[r.function].entry)));
const mailingContexts = new Set(Object.values(FUNCTIONS).filter((f) => 'email' in f.access && f.access.email).map((f) => contextOfEntry(f.entry)));
/** The shared patterns a context gets from the topology: Idempotency-Key records where it has idempotent routes, the mail gate's where a function of it sends mail. */
const withShared = (context: CostContext, patterns: readonly string[]) => [
  ...patterns,
  ...(idempotentContexts.has(context) ? [IDEMPOTENCY] : []),
  ...(mailingContexts.has(context) ? MAIL : []),
];

const CONTEXT_KEYS: Record<CostContext, ContextKeys> = {
  // The outbox publisher and sweeper (the API document reads no table).
  platform: { table: [OUTBOX], indexes: [I.slaDue.name] },
  customers: {
    // The scheduled erasure mails the person (the mail gate records it in their consent ledger).
    // Erasure removes the leads under the person's email addresses that no customer was linked to
    // (eraseUnlinkedLeadsOf, functions/sales/personal-data.dynamodb.ts): the lead and its open-lead pointer.
    table: [CUSTOMERS, family(anonymousPartition), `${IDENTITY_PREFIX}*`, family(tagPartition), CONSENTS, `${LEAD_PREFIX}*`, family((e) => pkOf(openLeadKey(e))), OUTBOX],
    indexes: [I.byCreatedAt.name, I.slaDue.name, I.byCustomer.name, I.byCampaign.name],
  },
  cases: {
    table: [CASES, family((q) => pkOf(queueKey(q))), family((a) => pkOf(agentOpenKey(a))), pkOf(counterKey), pkOf(policyKey(1)), SLA_REPORTS, CUSTOMERS, OUTBOX],
    indexes: [I.byCreatedAt.name, I.byQueue.name, I.byAssignee.name, I.byStatus.name, I.byCustomer.name, I.byPriority.name, I.slaDue.name],
  },
  // The SES feedback finds the person of a bounced or complaining address by its identity.
  consent: { table: [CONSENTS, CUSTOMERS, `${IDENTITY_PREFIX}*`, CONFIG, OUTBOX], indexes: [I.byCreatedAt.name] },
  campaigns: {
    table: [family((id) => pkOf(campaignKey(id))), family((id) => pkOf(segmentKey(id))), family(snapshotPartition), `${SCAN_PREFIX}*`, `${SEND_PREFIX}*`, CUSTOMERS, CONSENTS, CONFIG, OUTBOX],
    indexes: [I.byCampaign.name, I.byCreatedAt.name, I.byCustomer.name],
  },
  knowledge: {
    // Case suggestions read the case and its customer's locale.
    // `KB`: the category tree; the search index's heads (`SEARCH_INDEX`) and chunks (`SEARCH_INDEX#<locale>#<set>`, chunkPartition).
    table: [family(articlePartition), family((slug) => pkOf(slugKey(slug))), 'KB', `${HEADS_PARTITION}*`, CASES, CUSTOMERS, RATE, OUTBOX],
    indexes: [I.byCreatedAt.name, I.byStatus.name],
  },
  // A survey lives in its case's partition; the figures under `REPORT#CSAT#<queue>#<assignee>` (csatPartition, functions/surveys/survey.keys.ts).
  surveys: { table: [CASES, CUSTOMERS, CONSENTS, 'REPORT#CSAT#*', pkOf(policyKey(1)), OUTBOX], indexes: [I.byCustomer.name] },
  sales: {
    table: [
      family(accountPartition),
      family((d) => pkOf(domainKey(d))),
      `${ACTIVITY_PREFIX}*`,
      `${LEAD_PREFIX}*`,
      family((e) => pkOf(openLeadKey(e))),
      `${OPPORTUNITY_PREFIX}*`,
      family((sku) => pkOf(productKey(sku))),
      PRODUCT_STATS,
      family((sku) => pkOf(partnersKey(sku))),
      // The stages item (`PIPELINE`) and the counters (`PIPELINE#<scope>`, bucketPartition in functions/sales/pipeline.keys.ts).
      'PIPELINE*',
      CUSTOMERS,
      `${IDENTITY_PREFIX}*`,
      RATE,
      OUTBOX,
    ],
    indexes: [I.byCreatedAt.name, I.byQueue.name, I.byAssignee.name, I.byStatus.name, I.byCustomer.name, I.byPriority.name, I.byCampaign.name],
  },
  analytics: {
    // The case forecast reads the queues' daily SLA figures (the cases context's REPORT#SLA#<queue>).
    table: [pkOf(modelKey()), family((id) => pkOf(jobKey(id))), CUSTOMERS, `${OPPORTUNITY_PREFIX}*`, SLA_REPORTS, OUTBOX],
    indexes: [I.byCreatedAt.name, I.byCampaign.name],
  },
};

/** Each context's patterns and indexes, with what it shares (withShared). */
export const KEY_PREFIXES: Readonly<Record<CostContext, ContextKeys>> = Object.fromEntries(
  Object.entries(CONTEXT_KEYS).map(([context, keys]) => [context, { ...keys, table: withShared(context as CostContext, keys.table) }]),
) as unknown as Record<CostContext, ContextKeys>;

/** The functions that Scan, and the indexes: the segment preview and the durable audience scan read every customer profile. */
export const SCANS: Readonly<Partial<Record<FunctionName, readonly IndexName[]>>> = {
  campaigns: [I.byCreatedAt.name],
  audienceScanner: [I.byCreatedAt.name],
};
