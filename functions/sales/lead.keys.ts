import type { Lead } from '#domain/sales/lead.schema.ts';
import { TABLE } from '#infra/table.ts';

// Keys and item mappers of the leads part (pure; no I/O).
//   lead            pk LEAD#<id>            sk LEAD         data: Lead, version, onceKey (its creation's idempotency record);
//                                                           gsi1 LEADS / <createdAt>#<id>                     all, newest first
//                                                           gsi4 LEAD_STATUS#<status> / <createdAt>#<id>      by status
//                                                           gsi3 LEAD_OWNER#<ownerId> / <createdAt>#<id>      by owner (only with one)
//                                                           gsi2 LEAD_OWNER_STATUS#<ownerId>#<status> / ...   by owner and status
//                                                           gsi5 LEADS_OF#<customerId> / <createdAt>#<id>     linked leads (their erasure)
//                                                                or LEADS_OF_EMAIL#<email> / <createdAt>#<id> unlinked ones (erased with the customer who has that email)
//                                                           gsi6 LEAD_PARTNER#<accountId> / <createdAt>#<id>  by partner (only assigned ones)
//   open-lead ptr   pk LEAD_EMAIL#<email>   sk LEAD_EMAIL   leadId: the one open (new/working) lead of an email (conditional put)

const BY_CREATED = TABLE.indexes.byCreatedAt;
const BY_STATUS = TABLE.indexes.byStatus;
const BY_OWNER = TABLE.indexes.byAssignee;
const BY_OWNER_STATUS = TABLE.indexes.byQueue;
const BY_CUSTOMER = TABLE.indexes.byCustomer;
const BY_PARTNER = TABLE.indexes.byPriority;

export const ALL_LEADS = 'LEADS';
export const LEAD_PREFIX = 'LEAD#';
export const leadKey = (id: string) => ({ pk: `${LEAD_PREFIX}${id}`, sk: 'LEAD' });
export const openLeadKey = (email: string) => ({ pk: `LEAD_EMAIL#${email}`, sk: 'LEAD_EMAIL' });
export const statusPartition = (status: string) => `LEAD_STATUS#${status}`;
export const ownerPartition = (ownerId: string) => `LEAD_OWNER#${ownerId}`;
export const ownerStatusPartition = (ownerId: string, status: string) => `LEAD_OWNER_STATUS#${ownerId}#${status}`;
export const customerLeadsPartition = (customerId: string) => `LEADS_OF#${customerId}`;
export const unlinkedLeadsPartition = (email: string) => `LEADS_OF_EMAIL#${email}`;
export const partnerLeadsPartition = (accountId: string) => `LEAD_PARTNER#${accountId}`;

/**
 * Which index and partition answer a listing: one Query per filter combination. A partner's leads
 * are one partition of the partner index; status and owner filter within it (the scope stays in
 * the key condition, so a partner's page never reads anybody else's leads).
 */
export function listingOf(filter: { status?: string | undefined; owner?: string | undefined; partner?: string | undefined }) {
  if (filter.partner) return { index: BY_PARTNER, partition: partnerLeadsPartition(filter.partner) };
  if (filter.owner && filter.status) return { index: BY_OWNER_STATUS, partition: ownerStatusPartition(filter.owner, filter.status) };
  if (filter.owner) return { index: BY_OWNER, partition: ownerPartition(filter.owner) };
  if (filter.status) return { index: BY_STATUS, partition: statusPartition(filter.status) };
  return { index: BY_CREATED, partition: ALL_LEADS };
}

export function toLeadItem(lead: Lead, onceKey?: string): Record<string, unknown> {
  const sort = `${lead.createdAt}#${lead.id}`;
  return {
    ...leadKey(lead.id),
    type: 'Lead',
    [BY_CREATED.partitionKey]: ALL_LEADS,
    [BY_CREATED.sortKey]: sort,
    [BY_STATUS.partitionKey]: statusPartition(lead.status),
    [BY_STATUS.sortKey]: sort,
    ...(lead.ownerId
      ? {
          [BY_OWNER.partitionKey]: ownerPartition(lead.ownerId),
          [BY_OWNER.sortKey]: sort,
          [BY_OWNER_STATUS.partitionKey]: ownerStatusPartition(lead.ownerId, lead.status),
          [BY_OWNER_STATUS.sortKey]: sort,
        }
      : {}),
    ...(lead.partnerAccountId ? { [BY_PARTNER.partitionKey]: partnerLeadsPartition(lead.partnerAccountId), [BY_PARTNER.sortKey]: sort } : {}),
    [BY_CUSTOMER.partitionKey]: lead.customerId ? customerLeadsPartition(lead.customerId) : unlinkedLeadsPartition(lead.email),
    [BY_CUSTOMER.sortKey]: sort,
    ...(onceKey ? { onceKey } : {}),
    data: lead,
    version: lead.version,
  };
}

/** Leads stored before conversion existed have no `conversion`: they read as not converted. */
export const fromLeadItem = (item: Record<string, unknown>): Lead => ({ conversion: null, ...(item.data as Omit<Lead, 'conversion'>) });

export const toOpenLeadItem = (lead: Pick<Lead, 'email' | 'id'>) => ({ ...openLeadKey(lead.email), type: 'OpenLead', leadId: lead.id });
