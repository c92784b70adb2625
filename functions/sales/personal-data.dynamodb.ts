import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AccountMembership, LeadRecord } from '#domain/customers/customer.repository.ts';
import type { LeadRepository } from '#domain/sales/lead.repository.ts';
import { eraseUnlinkedLeads } from '#domain/sales/lead-erasure.ts';
import type { Db } from '../shared/db.ts';
import { batchGet } from '../shared/dynamo-batch.ts';
import { accountKey, fromAccountItem } from './account.keys.ts';
import { contactLinksOf } from './contact-links.dynamodb.ts';
import { ownedKey } from './product.keys.ts';

// What the sales context holds about a person, for the GDPR export and erasure the customers
// context serves: the person's account memberships and the products they own (both live in the
// person's own partition, so erasure removes them with it), and the person's leads. The sales
// context keeps their item shapes here.

/**
 * The lead store, imported by the first export or erasure that needs it: the customers function's
 * repository serves every request, and only these two read leads.
 */
const leadStore = async (db: Db): Promise<LeadRepository> => (await import('./lead.dynamodb-repository.ts')).dynamoLeadRepository(db);

/**
 * `person`: the customer's id and the ids of the profiles merged into it (their linked leads), and
 * the person's email addresses (the leads entered under them before the person was a customer).
 */
export async function salesPersonalData(
  db: Db,
  customerId: string,
  person: { ids: readonly string[]; emails: readonly string[] },
): Promise<{ accounts: AccountMembership[]; ownedProducts: string[]; leads: LeadRecord[] }> {
  const { client, tableName } = db;
  const links = await contactLinksOf(db, customerId);
  const [accountItems, owned, leads] = await Promise.all([
    batchGet(client, tableName, links.map((l) => accountKey(l.accountId))),
    client.send(new GetCommand({ TableName: tableName, Key: ownedKey(customerId), ConsistentRead: true })),
    leadsOfPerson(await leadStore(db), person),
  ]);
  const names = new Map(accountItems.map(fromAccountItem).map((a) => [a.id, a.name]));
  return {
    // A link whose account went meanwhile (its deletion removes links after the account) names nothing: left out.
    accounts: links.flatMap((l) => (names.has(l.accountId) ? [{ accountId: l.accountId, name: names.get(l.accountId)!, role: l.role, addedAt: l.addedAt }] : [])),
    ownedProducts: (owned.Item?.skus as string[] | undefined) ?? [],
    leads,
  };
}

/** The person's leads, each once, oldest first, as the export shows them (no owner, assignment or conversion refs: those are the company's). */
async function leadsOfPerson(leads: LeadRepository, person: { ids: readonly string[]; emails: readonly string[] }): Promise<LeadRecord[]> {
  const found = (await Promise.all([...person.ids.map((id) => leads.leadsOf(id)), ...[...new Set(person.emails)].map((email) => leads.unlinkedLeadsOf(email))])).flat();
  const byId = new Map(found.map((lead) => [lead.id, lead]));
  return [...byId.values()]
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id))
    .map(({ ownerId, customerId, partnerAccountId, convertedAt, conversion, version, ...record }) => record);
}

/**
 * For the customers context's erasure, between marking the profile and deleting its identities:
 * the leads under the person's email addresses that were never linked to a customer go (the leads
 * linked to the person go on CustomerErased, leadErasure). Returns how many were removed.
 */
export const eraseUnlinkedLeadsOf = async (db: Db, emails: readonly string[]): Promise<number> => eraseUnlinkedLeads(await leadStore(db), emails);

