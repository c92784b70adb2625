import type { Account, Contact } from '#domain/sales/account.schema.ts';
import { TABLE } from '#infra/table.ts';
import { customerPartition } from '../customers/customer.keys.ts';

// Keys and item mappers for accounts and their contacts (pure; no I/O).
//   account         pk ACCOUNT#<id>              sk ACCOUNT           data: Account, version, parentId (absent at the top);
//                                                                     gsi1 ACCOUNTS / <lowercased name>#<id> (by name; `q` is begins_with)
//   domain pointer  pk ACCOUNT_DOMAIN#<domain>   sk ACCOUNT_DOMAIN    accountId (a domain names one account: conditional put)
//   contact link    pk CUSTOMER#<customerId>     sk ACCOUNT#<id>      data: Contact; gsi8 CONTACTS#<accountId> / <customerId>
//                   (in the PERSON's partition: the customers context's erasure deletes the whole
//                   partition, so an erased contact leaves every account with no consumer)

const BY_NAME = TABLE.indexes.byCreatedAt;
const BY_ACCOUNT = TABLE.indexes.byCampaign;

export const ALL_ACCOUNTS = 'ACCOUNTS';
export const ACCOUNT_PREFIX = 'ACCOUNT#';
export const CONTACT_LINK_PREFIX = 'ACCOUNT#';

export const accountPartition = (id: string) => `${ACCOUNT_PREFIX}${id}`;
export const accountKey = (id: string) => ({ pk: accountPartition(id), sk: 'ACCOUNT' });
export const domainKey = (domain: string) => ({ pk: `ACCOUNT_DOMAIN#${domain}`, sk: 'ACCOUNT_DOMAIN' });
export const contactKey = (accountId: string, customerId: string) => ({ pk: customerPartition(customerId), sk: `${CONTACT_LINK_PREFIX}${accountId}` });
export const contactsPartition = (accountId: string) => `CONTACTS#${accountId}`;
/** The sort key of an account in the by-name listing: case-insensitive, the id keeps it unique. */
export const nameSortKey = (name: string, id: string) => `${normalisedName(name)}#${id}`;
export const normalisedName = (name: string) => name.toLowerCase();

export function toAccountItem(a: Account): Record<string, unknown> {
  // `parentId` top-level (absent at the top): the ConditionCheck of a re-parenting's walked chain names it.
  return { ...accountKey(a.id), type: 'Account', [BY_NAME.partitionKey]: ALL_ACCOUNTS, [BY_NAME.sortKey]: nameSortKey(a.name, a.id), data: a, version: a.version, ...(a.parentAccountId ? { parentId: a.parentAccountId } : {}) };
}

export const fromAccountItem = (item: Record<string, unknown>): Account => item.data as Account;

export const toDomainItem = (domain: string, accountId: string) => ({ ...domainKey(domain), type: 'AccountDomain', accountId });

export function toContactItem(c: Contact): Record<string, unknown> {
  return { ...contactKey(c.accountId, c.customerId), type: 'AccountContact', [BY_ACCOUNT.partitionKey]: contactsPartition(c.accountId), [BY_ACCOUNT.sortKey]: c.customerId, data: c };
}

export const fromContactItem = (item: Record<string, unknown>): Contact => item.data as Contact;
