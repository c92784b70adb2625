import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { type PartnerCounts, type PurchaseDelta, purchaseDelta } from '#domain/sales/co-occurrence.ts';
import { type CoOccurrenceStore, type PurchaseCommit, sourceKey } from '#domain/sales/product.ports.ts';
import type { CommandContext } from '#domain/shared/ports.ts';
import { PurchaseRecorded } from '#events/purchase-recorded.event.ts';
import { batchGet, queryAll } from '../shared/dynamo-batch.ts';
import { type Db, events, NOT_EXISTS, put } from '../shared/db.ts';
import type { TransactItem } from '../shared/outbox.ts';
import { commit } from '../shared/transaction.ts';
import { customerKey } from '../customers/customer.keys.ts';
import { customerCheck } from '../customers/customer-guard.ts';
import { customersCountKey, OWNERS_PREFIX, ownedKey, ownersKey, PARTNER_PREFIX, partnersKey, PRODUCT_STATS, purchaseClaimKey, segmentSalesKey } from './product.keys.ts';

// Co-occurrence counters kept exactly once per purchase. The first transaction holds the erasure
// guard, the claim (in the customer's partition), the new owned set (at the version read), the
// PurchaseRecorded event and as many counter ADDs as fit; a purchase with more counter writes than
// one transaction holds (TransactWriteItems: 100 actions) continues in further transactions of
// COUNTER_CHUNK ADDs, each advancing the claim's `applied` under a condition, so a redelivery
// resumes exactly where a failed attempt stopped and no chunk is ever counted twice.

/** Actions per transaction (DynamoDB's limit). */
const MAX_ACTIONS = 100;
/** The first transaction's fixed actions: guard, claim, owned set, event. */
const FIXED_ACTIONS = 4;
const COUNTER_CHUNK = MAX_ACTIONS - 1; // plus the claim's progress

/** A purchase's share of the per-segment best sellers: each segment the buyer was in counts each distinct sku bought once. */
export interface SegmentSale {
  readonly segmentIds: readonly string[];
  readonly skus: readonly string[];
}
const NO_SEGMENTS: SegmentSale = { segmentIds: [], skus: [] };

/** The counter ADDs of a purchase, in a fixed order (a resumed purchase recomputes the same list). */
export function counterWrites(tableName: string, delta: PurchaseDelta, segmentSale: SegmentSale = NO_SEGMENTS): TransactItem[] {
  const adds: TransactItem[] = [];
  for (const [sku, partners] of [...delta.partners].sort(([a], [b]) => a.localeCompare(b))) {
    const names = Object.fromEntries(partners.map((p, i) => [`#p${i}`, `${PARTNER_PREFIX}${p}`]));
    adds.push({
      Update: {
        TableName: tableName,
        Key: partnersKey(sku),
        UpdateExpression: `SET #sku = :sku ADD ${partners.map((_, i) => `#p${i} :one`).join(', ')}`,
        ExpressionAttributeNames: { ...names, '#sku': 'sku' },
        ExpressionAttributeValues: { ':one': 1, ':sku': sku },
      },
    });
  }
  for (const sku of delta.newSkus) {
    adds.push({ Update: { TableName: tableName, Key: ownersKey(sku), UpdateExpression: 'SET sku = :sku ADD owners :one', ExpressionAttributeValues: { ':one': 1, ':sku': sku } } });
  }
  if (delta.firstPurchase) adds.push({ Update: { TableName: tableName, Key: customersCountKey(), UpdateExpression: 'ADD customers :one', ExpressionAttributeValues: { ':one': 1 } } });
  for (const segmentId of segmentSale.segmentIds) {
    for (const sku of segmentSale.skus) {
      adds.push({
        Update: {
          TableName: tableName,
          Key: segmentSalesKey(segmentId, sku),
          UpdateExpression: 'SET sku = :sku, segmentId = :segment ADD purchases :one',
          ExpressionAttributeValues: { ':one': 1, ':sku': sku, ':segment': segmentId },
        },
      });
    }
  }
  return adds;
}

/** How a purchase's counter writes split into transactions: the first's share, then COUNTER_CHUNK each. */
export function chunksOf(adds: readonly TransactItem[]): TransactItem[][] {
  const first = adds.slice(0, MAX_ACTIONS - FIXED_ACTIONS);
  const rest: TransactItem[][] = [];
  for (let start = first.length; start < adds.length; start += COUNTER_CHUNK) rest.push(adds.slice(start, start + COUNTER_CHUNK));
  return [first, ...rest];
}

export function dynamoCoOccurrenceStore(db: Db): CoOccurrenceStore {
  const { client, tableName } = db;

  /** Applies the chunks after `applied` of a claimed purchase; stops when the claim is gone (erased). */
  async function finish(customerId: string, source: string): Promise<'recorded' | 'duplicate' | 'customer-gone'> {
    for (let first = true; ; first = false) {
      const { Item: claim } = await client.send(new GetCommand({ TableName: tableName, Key: purchaseClaimKey(customerId, source), ConsistentRead: true }));
      if (!claim) return 'customer-gone';
      const applied = Number(claim.applied);
      // Claims from before segment counting carry no segmentIds: they count for no segment.
      const segmentSale = { segmentIds: (claim.segmentIds as string[] | undefined) ?? [], skus: (claim.skus as string[] | undefined) ?? [] };
      const chunks = chunksOf(counterWrites(tableName, purchaseDelta(new Set(claim.ownedBefore as string[]), claim.newSkus as string[]), segmentSale));
      if (applied >= chunks.length) return first ? 'duplicate' : 'recorded';
      const progress: TransactItem = {
        Update: {
          TableName: tableName,
          Key: purchaseClaimKey(customerId, source),
          UpdateExpression: 'SET applied = :next',
          ConditionExpression: 'applied = :applied',
          ExpressionAttributeValues: { ':next': applied + 1, ':applied': applied },
        },
      };
      // A failed condition: another delivery applied this chunk meanwhile (or the claim is gone); read again.
      await commit(client, [...chunks[applied]!, progress]);
    }
  }

  return {
    async customerExists(customerId) {
      const { Item } = await client.send(new GetCommand({ TableName: tableName, Key: customerKey(customerId), ConsistentRead: true, ProjectionExpression: 'pk, erasingSince' }));
      return Item !== undefined && Item.erasingSince === undefined;
    },

    async owned(customerIds) {
      const items = customerIds.length ? await batchGet(client, tableName, [...new Set(customerIds)].map(ownedKey)) : [];
      const skus = new Set(items.flatMap((i) => (i.skus as string[] | undefined) ?? []));
      return { skus, version: customerIds.length === 1 ? Number(items[0]?.version ?? 0) : 0 };
    },

    async commitPurchase({ customerId, source, skus, owned, delta, segmentIds }: PurchaseCommit, context: CommandContext) {
      const key = sourceKey(source);
      const segmentSale = { segmentIds: [...new Set(segmentIds)].sort(), skus: [...new Set(skus)].sort() };
      const chunks = chunksOf(counterWrites(tableName, delta, segmentSale));
      const claim = {
        ...purchaseClaimKey(customerId, key),
        type: 'PurchaseClaim',
        newSkus: delta.newSkus,
        ownedBefore: [...owned.skus].sort(),
        ...segmentSale,
        applied: 1,
        chunks: chunks.length,
      };
      const ownedWrite: TransactItem[] = delta.newSkus.length
        ? [
            put(
              db,
              { ...ownedKey(customerId), type: 'OwnedProducts', skus: [...new Set([...owned.skus, ...delta.newSkus])].sort(), version: owned.version + 1 },
              owned.version === 0 ? NOT_EXISTS : 'version = :version',
              owned.version === 0 ? undefined : { ':version': owned.version },
            ),
          ]
        : [];
      const event = PurchaseRecorded.of({
        customerId,
        interactionId: source.kind === 'interaction' ? source.interactionId : null,
        orderId: source.kind === 'interaction' ? source.orderId : null,
        skus: [...new Set(skus)].sort(),
      });
      const failed = await commit(client, [customerCheck(db, customerId), put(db, claim, NOT_EXISTS), ...events(db, [event], context), ...ownedWrite, ...chunks[0]!]);
      if (!failed) return chunks.length === 1 ? 'recorded' : (await finish(customerId, key), 'recorded');
      if (failed.has(0)) return 'customer-gone';
      if (failed.has(1)) return finish(customerId, key);
      return 'owned-changed';
    },

    async counts() {
      const owners = new Map<string, number>();
      let customers = 0;
      for await (const items of queryAll(client, { TableName: tableName, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': PRODUCT_STATS } })) {
        for (const item of items) {
          if (String(item.sk).startsWith(OWNERS_PREFIX)) owners.set(String(item.sku), Number(item.owners ?? 0));
          else if (item.sk === customersCountKey().sk) customers = Number(item.customers ?? 0);
        }
      }
      return { customers, owners };
    },

    async partners(skus) {
      const items = skus.length ? await batchGet(client, tableName, skus.map(partnersKey)) : [];
      return new Map(
        items.map((item): [string, PartnerCounts] => [
          String(item.sku),
          new Map(Object.entries(item).flatMap(([name, value]) => (name.startsWith(PARTNER_PREFIX) ? [[name.slice(PARTNER_PREFIX.length), Number(value)]] : []))),
        ]),
      );
    },
  };
}
