// The one definition of the single table: the CDK table, DynamoDB Local and every repository
// read it, so key names and index names are never written twice. Indexes are overloaded (generic
// attribute names) and named after the access pattern they serve.

export interface IndexDefinition {
  readonly name: string;
  readonly partitionKey: string;
  readonly sortKey: string;
}

export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  timeToLiveAttribute: 'expiresAt',
  indexes: {
    /**
     * Collections newest first: CUSTOMERS, CASES, SEGMENTS, CAMPAIGNS, LEADS, OPPORTUNITIES, ACTIVITIES; sort `<createdAt>#<id>`.
     * Also ACCOUNTS, sorted by name: `<lowercased name>#<id>` (the name prefix search is one begins_with),
     * and PRODUCTS, sorted `<active|inactive>#<sku>` (listed ascending).
     * Also (sparse, issue 13) analytics purchases for the fit: PURCHASES#<shard 0-9> (a hash of the
     * customer id); sort `<day>#<customerId>#<interactionId>` (up to asOf: one `<` on the sort key).
     */
    byCreatedAt: { name: 'by-created-at', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    /**
     * Cases of a queue: QUEUE#<queue>; sort `<status>#<createdAt>#<id>` (the agent work view).
     * Also leads of an owner in a status: LEAD_OWNER_STATUS#<ownerId>#<status>; sort `<createdAt>#<id>`,
     * and a category's products: PRODUCT_CATEGORY#<category>; sort `<active|inactive>#<sku>`,
     * and opportunities by close date: OPPORTUNITIES_BY_CLOSE; sort `<closeDate>#<id>` (closingBefore: `< <date>`, ascending).
     */
    byQueue: { name: 'by-queue', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
    /** Cases of an assignee: ASSIGNEE#<id>; sort `<status>#<createdAt>#<id>`. Leads of an owner: LEAD_OWNER#<ownerId>; sort `<createdAt>#<id>`. Opportunities of an owner: OPPORTUNITY_OWNER#<ownerId>, same sort.
     * Activities of an owner: ACTIVITY_OWNER#<ownerId>; sort `<open|done>#<createdAt>#<id>` (`open` is one begins_with). */
    byAssignee: { name: 'by-assignee', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
    /** Cases in a status: STATUS#<status>; sort `<createdAt>#<id>`. Leads in a status: LEAD_STATUS#<status>, same sort. Opportunities in a stage: OPPORTUNITY_STAGE#<stage>, same sort.
     * Activities open or done: ACTIVITIES#<open|done>, same sort. */
    byStatus: { name: 'by-status', partitionKey: 'gsi4pk', sortKey: 'gsi4sk' },
    /** Cases of a customer: CASES_OF#<customerId>; sort `<createdAt>#<id>`. Leads linked to a customer: LEADS_OF#<customerId>, same sort (their erasure). Opportunities of an account: OPPORTUNITIES_OF#<accountId>, same sort.
     * Activities of an account: ACTIVITIES_OF_ACCOUNT#<accountId>, same sort (sparse; with the opportunities, the account timeline's runs). */
    byCustomer: { name: 'by-customer', partitionKey: 'gsi5pk', sortKey: 'gsi5sk' },
    /**
     * Cases of a priority: PRIORITY#<priority>; sort `<status>#<createdAt>#<id>`. Also (sparse: only
     * assigned ones) the leads and opportunities of a partner account: LEAD_PARTNER#<accountId> and
     * OPPORTUNITY_PARTNER#<accountId>; sort `<createdAt>#<id>` (a partner user's listings are these
     * partitions). Activities of an opportunity: ACTIVITIES_OF_OPPORTUNITY#<opportunityId>; sort
     * `<createdAt>#<id>` (sparse).
     */
    byPriority: { name: 'by-priority', partitionKey: 'gsi6pk', sortKey: 'gsi6sk' },
    /**
     * Sparse due-time queues, soonest first: SLA checks (SLA_DUE; sort `<next check at>#<id>`; only
     * watched cases) and pending erasure requests (ERASURE_REQUESTS#pending; sort `<runAt>#<customerId>`).
     * Also (issue 14) outbox records not yet published: OUTBOX_PENDING#<shard 0-9> (a hash of the
     * event id); sort `<time>#<eventId>` (the outbox sweep takes those older than 30 minutes).
     */
    slaDue: { name: 'sla-due', partitionKey: 'gsi7pk', sortKey: 'gsi7sk' },
    /**
     * Recipients of a campaign: RECIPIENTS#<campaignId>; sort `<outcome>#<customerId>`. Also the
     * contacts of an account: CONTACTS#<accountId>; sort `<customerId>` (the links live in the customers' partitions),
     * and the activities of a customer: ACTIVITIES_OF_CUSTOMER#<customerId>; sort `<createdAt>#<id>` (sparse; their erasure).
     */
    byCampaign: { name: 'by-campaign', partitionKey: 'gsi8pk', sortKey: 'gsi8sk' },
  },
} as const satisfies {
  partitionKey: string;
  sortKey: string;
  timeToLiveAttribute: string;
  indexes: Record<string, IndexDefinition>;
};

export const ALL_INDEXES: readonly IndexDefinition[] = Object.values(TABLE.indexes);

/** Every attribute that appears in a key schema; all are strings. */
export const KEY_ATTRIBUTES: readonly string[] = [
  ...new Set([TABLE.partitionKey, TABLE.sortKey, ...ALL_INDEXES.flatMap((i) => [i.partitionKey, i.sortKey])]),
];
