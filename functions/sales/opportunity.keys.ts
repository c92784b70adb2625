import type { Opportunity } from '#domain/sales/opportunity.schema.ts';
import { type IndexDefinition, TABLE } from '#infra/table.ts';

// Keys and item mappers of the opportunities part (pure; no I/O).
//   opportunity   pk OPPORTUNITY#<id>   sk OPPORTUNITY   data: Opportunity, version;
//                 gsi1 OPPORTUNITIES / <createdAt>#<id>               all, newest first
//                 gsi4 OPPORTUNITY_STAGE#<stage> / <createdAt>#<id>   by stage
//                 gsi3 OPPORTUNITY_OWNER#<ownerId> / <createdAt>#<id> by owner
//                 gsi5 OPPORTUNITIES_OF#<accountId> / <createdAt>#<id> by account
//                 gsi2 OPPORTUNITIES_BY_CLOSE / <closeDate>#<id>      by closeDate (closingBefore: soonest first)
//                 gsi6 OPPORTUNITY_PARTNER#<accountId> / <createdAt>#<id> by partner (only assigned ones)

const BY_CREATED = TABLE.indexes.byCreatedAt;
const BY_STAGE = TABLE.indexes.byStatus;
const BY_OWNER = TABLE.indexes.byAssignee;
const BY_ACCOUNT = TABLE.indexes.byCustomer;
const BY_CLOSE = TABLE.indexes.byQueue;
const BY_PARTNER = TABLE.indexes.byPriority;

export const ALL_OPPORTUNITIES = 'OPPORTUNITIES';
export const OPPORTUNITIES_BY_CLOSE = 'OPPORTUNITIES_BY_CLOSE';
export const OPPORTUNITY_PREFIX = 'OPPORTUNITY#';
export const opportunityKey = (id: string) => ({ pk: `${OPPORTUNITY_PREFIX}${id}`, sk: 'OPPORTUNITY' });
export const stagePartition = (stage: string) => `OPPORTUNITY_STAGE#${stage}`;
export const ownerPartition = (ownerId: string) => `OPPORTUNITY_OWNER#${ownerId}`;
export const accountPartition = (accountId: string) => `OPPORTUNITIES_OF#${accountId}`;
export const partnerOpportunitiesPartition = (accountId: string) => `OPPORTUNITY_PARTNER#${accountId}`;

/**
 * Which index and partition answer a listing: one Query per filter (the handler allows at most one
 * besides the partner). A partner's opportunities are one partition of the partner index; the other
 * filter narrows within it, so a partner's page never reads anybody else's.
 */
export function listingOf(filter: { stage?: string | undefined; owner?: string | undefined; account?: string | undefined; closingBefore?: string | undefined; partner?: string | undefined }): {
  index: IndexDefinition;
  partition: string;
  sortBefore?: string;
} {
  if (filter.partner) return { index: BY_PARTNER, partition: partnerOpportunitiesPartition(filter.partner) };
  // closeDate sort keys are `<YYYY-MM-DD>#<id>`: every one of a day before `closingBefore` sorts below the bare date.
  if (filter.closingBefore) return { index: BY_CLOSE, partition: OPPORTUNITIES_BY_CLOSE, sortBefore: filter.closingBefore };
  if (filter.account) return { index: BY_ACCOUNT, partition: accountPartition(filter.account) };
  if (filter.owner) return { index: BY_OWNER, partition: ownerPartition(filter.owner) };
  if (filter.stage) return { index: BY_STAGE, partition: stagePartition(filter.stage) };
  return { index: BY_CREATED, partition: ALL_OPPORTUNITIES };
}

export function toOpportunityItem(o: Opportunity): Record<string, unknown> {
  const sort = `${o.createdAt}#${o.id}`;
  return {
    ...opportunityKey(o.id),
    type: 'Opportunity',
    [BY_CREATED.partitionKey]: ALL_OPPORTUNITIES,
    [BY_CREATED.sortKey]: sort,
    [BY_STAGE.partitionKey]: stagePartition(o.stage),
    [BY_STAGE.sortKey]: sort,
    [BY_OWNER.partitionKey]: ownerPartition(o.ownerId),
    [BY_OWNER.sortKey]: sort,
    [BY_ACCOUNT.partitionKey]: accountPartition(o.accountId),
    [BY_ACCOUNT.sortKey]: sort,
    [BY_CLOSE.partitionKey]: OPPORTUNITIES_BY_CLOSE,
    [BY_CLOSE.sortKey]: `${o.closeDate}#${o.id}`,
    ...(o.partnerAccountId ? { [BY_PARTNER.partitionKey]: partnerOpportunitiesPartition(o.partnerAccountId), [BY_PARTNER.sortKey]: sort } : {}),
    data: o,
    version: o.version,
  };
}

export const fromOpportunityItem = (item: Record<string, unknown>): Opportunity => item.data as Opportunity;
