import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { LeadRepository, LeadSaveRefusal } from '#domain/sales/lead.repository.ts';
import { isOpen } from '#domain/sales/lead.ts';
import type { Lead } from '#domain/sales/lead.schema.ts';
import { TABLE } from '#infra/table.ts';
import { customerCheck, NOT_ERASING, refusalFor } from '../customers/customer-guard.ts';
import { type Db, del, events as eventPuts, NOT_EXISTS, put } from '../shared/db.ts';
import { queryFilteredPage } from '../shared/filtered-page.ts';
import { queryAll } from '../shared/dynamo-batch.ts';
import { idempotencyItems, idempotencyKeyOf, storedResult } from '../shared/idempotency.ts';
import type { TransactItem } from '../shared/outbox.ts';
import { commit } from '../shared/transaction.ts';
import { partnerCheck, partnerListingFilter } from './partner.dynamodb.ts';
import { customerLeadsPartition, fromLeadItem, LEAD_PREFIX, leadKey, listingOf, openLeadKey, toLeadItem, toOpenLeadItem, unlinkedLeadsPartition } from './lead.keys.ts';

const POINTER_IS_OURS = 'leadId = :id';
/**
 * The erasure guard of a linked lead: the customer exists and is not being erased. A merged-away
 * customer passes (its leads stay workable; the target's erasure reaches them through erasedIds).
 */
const guard = (db: Db, customerId: string) => customerCheck(db, customerId, NOT_ERASING);

/**
 * The items that replace a lead (version check) and move its email's open-lead pointer with it in
 * and out of the open statuses: the one definition of a lead update, for PATCH, captures and a
 * conversion. Without its customer's erasure guard (the caller adds it, or already checks that
 * profile in the same transaction). The pointer's put, when the lead reopens, comes right after the
 * lead's item.
 */
export function leadUpdateItems(db: Db, previous: Lead, next: Lead, onceKey: string | undefined): TransactItem[] {
  const items: TransactItem[] = [put(db, toLeadItem(next, onceKey), 'version = :v', { ':v': previous.version })];
  const wasOpen = isOpen(previous.status);
  const nowOpen = isOpen(next.status);
  if (wasOpen && !nowOpen) items.push(del(db, openLeadKey(previous.email), POINTER_IS_OURS, { ':id': previous.id }));
  if (!wasOpen && nowOpen) items.push(put(db, toOpenLeadItem(next), NOT_EXISTS));
  return items;
}

/** The lead item's creation idempotency record key (kept on every rewrite, so the lead's erasure finds it). */
export const onceKeyOf = (item: Record<string, unknown> | undefined) => (typeof item?.onceKey === 'string' ? item.onceKey : undefined);

/** The leads part's table adapter (items: lead.keys.ts). */
export function dynamoLeadRepository(db: Db): LeadRepository {
  const { client, tableName } = db;

  async function rawGet(id: string) {
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: leadKey(id), ConsistentRead: true }));
    return Item;
  }

  type Refusal = LeadSaveRefusal | 'customer' | 'key-used';
  const REFUSALS: readonly LeadSaveRefusal[] = ['not-a-partner', 'email-open'];

  /** Commits the items; a refused customer check becomes the customer's domain error, the rest a refusal. */
  async function save(items: TransactItem[], at: Record<number, Refusal>, customerId: string | null): Promise<LeadSaveRefusal | 'key-used' | undefined> {
    const failed = await commit(client, items);
    if (!failed) return undefined;
    const reasons = new Set([...failed].map((i) => at[i]));
    if (reasons.has('key-used')) return 'key-used';
    if (customerId && reasons.has('customer')) throw await refusalFor(db, customerId);
    return REFUSALS.find((reason) => reasons.has(reason)) ?? 'moved';
  }

  async function openLeadOf(email: string): Promise<Lead | undefined> {
    const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: openLeadKey(email), ConsistentRead: true }));
    if (!Item) return undefined;
    const item = await rawGet(String(Item.leadId));
    return item ? fromLeadItem(item) : undefined;
  }

  /** The leads of one partition of the by-customer index (a customer's linked leads, or an email's unlinked ones). */
  async function inPartition(partition: string): Promise<Lead[]> {
    const found: Lead[] = [];
    const index = TABLE.indexes.byCustomer;
    for await (const page of queryAll(client, {
      TableName: tableName,
      IndexName: index.name,
      KeyConditionExpression: '#p = :p',
      ExpressionAttributeNames: { '#p': index.partitionKey },
      ExpressionAttributeValues: { ':p': partition },
    })) {
      found.push(...page.map(fromLeadItem));
    }
    return found;
  }

  return {
    async get(id) {
      const item = await rawGet(id);
      return item ? fromLeadItem(item) : undefined;
    },

    openLeadOf,

    async list({ limit, cursor, status, owner, partner }) {
      const { index, partition } = listingOf({ status, owner, partner });
      const page = await queryFilteredPage(db, {
        name: `leads:${status ?? ''}:${owner ?? ''}${partner ? `:${partner}` : ''}`,
        index,
        partition,
        itemKey: { pk: { startsWith: LEAD_PREFIX }, sk: { is: 'LEAD' } },
        limit,
        cursor,
        filter: partner ? partnerListingFilter({ status, ownerId: owner }) : undefined,
      });
      return { items: page.items.map(fromLeadItem), nextCursor: page.nextCursor };
    },

    async create(lead, events, context) {
      const claim = context.idempotency;
      const once = claim ? idempotencyItems(tableName, claim, lead, db.clock.now()) : [];
      const items = [
        ...once,
        put(db, toLeadItem(lead, claim ? idempotencyKeyOf(claim).pk : undefined), NOT_EXISTS),
        put(db, toOpenLeadItem(lead), NOT_EXISTS),
        ...(lead.customerId ? [guard(db, lead.customerId)] : []),
        ...(lead.partnerAccountId ? [partnerCheck(db, lead.partnerAccountId)] : []),
        ...eventPuts(db, events, context),
      ];
      const at: Record<number, Refusal> = { 0: claim ? 'key-used' : 'moved', [once.length]: 'moved', [once.length + 1]: 'email-open' };
      if (lead.customerId) at[once.length + 2] = 'customer';
      if (lead.partnerAccountId) at[once.length + 2 + (lead.customerId ? 1 : 0)] = 'not-a-partner';
      const refused = await save(items, at, lead.customerId);
      if (!refused) return { lead };
      if (refused !== 'key-used' || !claim) return { refused: refused === 'key-used' ? 'moved' : refused };
      // The key was used before: the first call's lead, as it is now (as it was, if erased since).
      const first = await storedResult<Lead>(client, tableName, claim);
      if (!first) return { refused: 'moved' };
      const item = await rawGet(first.id);
      return { lead: item ? fromLeadItem(item) : first };
    },

    async update(previous, next, events, context) {
      const items = leadUpdateItems(db, previous, next, onceKeyOf(await rawGet(previous.id)));
      const at: Record<number, Refusal> = { 0: 'moved' };
      if (!isOpen(previous.status) && isOpen(next.status)) at[1] = 'email-open';
      if (next.customerId) {
        at[items.length] = 'customer';
        items.push(guard(db, next.customerId));
      }
      // Only a new assignment checks the account: a lead stays workable when its partner is retyped or deleted later.
      if (next.partnerAccountId && next.partnerAccountId !== previous.partnerAccountId) {
        at[items.length] = 'not-a-partner';
        items.push(partnerCheck(db, next.partnerAccountId));
      }
      const refused = await save([...items, ...eventPuts(db, events, context)], at, next.customerId);
      return refused ? { refused: refused === 'key-used' ? 'moved' : refused } : { lead: next };
    },

    async remove(lead) {
      const item = await rawGet(lead.id);
      if (!item) return true;
      const current = fromLeadItem(item);
      if (current.version !== lead.version) return false;
      const items: TransactItem[] = [del(db, leadKey(lead.id), 'version = :v', { ':v': lead.version })];
      if (isOpen(current.status)) items.push(del(db, openLeadKey(current.email), `attribute_not_exists(pk) OR ${POINTER_IS_OURS}`, { ':id': lead.id }));
      // The creation's idempotency record holds the lead as it was (with the email): it goes too.
      if (typeof item.onceKey === 'string') items.push(del(db, { pk: item.onceKey, sk: 'IDEMPOTENCY' }));
      return !(await commit(client, items));
    },

    leadsOf: (customerId) => inPartition(customerLeadsPartition(customerId)),

    async unlinkedLeadsOf(email) {
      const found = (await inPartition(unlinkedLeadsPartition(email))).filter((lead) => lead.customerId === null);
      // A lead stored before the index held unlinked leads is found only while it is open, by its email's pointer.
      const open = await openLeadOf(email);
      if (open && open.customerId === null && !found.some((lead) => lead.id === open.id)) found.push(open);
      return found;
    },
  };
}
