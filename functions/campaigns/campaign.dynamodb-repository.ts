import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { CampaignRepository } from '#domain/campaigns/campaign.repository.ts';
import type { Campaign } from '#domain/campaigns/campaign.schema.ts';
import { ConcurrentUpdateError } from '#domain/shared/errors.ts';
import { TABLE } from '#infra/table.ts';
import { dynamoConsentRepository } from '../consent/consent.dynamodb-repository.ts';
import { customerKey, fromProfileItem } from '../customers/customer.keys.ts';
import { type Db, events, put, queryPage, update } from '../shared/db.ts';
import { idempotencyItems, storedResult } from '../shared/idempotency.ts';
import type { TransactItem } from '../shared/outbox.ts';
import { commit } from '../shared/transaction.ts';
import {
  ALL_CAMPAIGNS,
  campaignKey,
  fromCampaignItem,
  fromRecipientItem,
  fromReportItem,
  recipientKey,
  recipientsPartition,
  reportKey,
  segmentKey,
  toCampaignItem,
} from './campaign.keys.ts';

const I = TABLE.indexes;

export function dynamoCampaignRepository(db: Db): CampaignRepository {
  const { client, tableName } = db;
  const consents = dynamoConsentRepository(db);

  async function getItem(key: Record<string, string>) {
    return (await client.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }))).Item;
  }

  return {
    async create(campaign, list, context) {
      const { idempotency } = context;
      const once = idempotency ? idempotencyItems(tableName, idempotency, campaign, db.clock.now()) : [];
      const items: TransactItem[] = [...once, put(db, toCampaignItem(campaign), 'attribute_not_exists(pk)'), ...events(db, list, context)];
      const failed = await commit(client, items);
      if (!failed) return { campaign, replayed: false };
      if (idempotency && failed.has(0)) {
        const first = await storedResult<Campaign>(client, tableName, idempotency);
        if (first) return { campaign: first, replayed: true };
      }
      throw new ConcurrentUpdateError();
    },

    async get(id) {
      const item = await getItem(campaignKey(id));
      return item ? fromCampaignItem(item) : undefined;
    },

    async list({ limit, cursor }) {
      const page = await queryPage(db, {
        name: 'campaigns:all',
        index: I.byCreatedAt,
        partition: ALL_CAMPAIGNS,
        itemKey: { pk: { startsWith: 'CAMPAIGN#' }, sk: { is: campaignKey('').sk } },
        limit,
        cursor,
      });
      return { items: page.items.map(fromCampaignItem), nextCursor: page.nextCursor };
    },

    async update(previous, next, list, context) {
      // SET, not a Put: the starter and the sender keep attributes of their own on the item. The
      // status is part of the condition since they move it without a new version.
      const { pk, sk, ...attributes } = toCampaignItem(next);
      void pk;
      void sk;
      const write = update(db, campaignKey(next.id), attributes, {
        expression: 'version = :expected AND #status = :was',
        values: { ':expected': previous.version, ':was': previous.status },
      });
      write.Update!.ExpressionAttributeNames = { ...write.Update!.ExpressionAttributeNames, '#status': 'status' };
      if (await commit(client, [write, ...events(db, list, context)])) throw new ConcurrentUpdateError();
    },

    async segmentExists(segmentId) {
      return (await getItem(segmentKey(segmentId))) !== undefined;
    },

    topics: () => consents.topics(),

    async person(customerId) {
      const item = await getItem(customerKey(customerId));
      if (!item || item.erasingSince || item.mergedInto) return undefined;
      const c = fromProfileItem(item);
      return { email: c.email, firstName: c.firstName, lastName: c.lastName, attributes: c.attributes };
    },

    async suppressed(email) {
      return (await consents.suppression(email.toLowerCase())) !== undefined;
    },

    async report(campaignId) {
      return fromReportItem(await getItem(reportKey(campaignId)));
    },

    async recipients(campaignId, { outcome, limit, cursor }) {
      const page = await queryPage(db, {
        name: `recipients:${campaignId}:${outcome ?? '*'}`,
        index: I.byCampaign,
        partition: recipientsPartition(campaignId),
        ...(outcome ? { sortPrefix: `${outcome}#` } : {}),
        itemKey: { pk: { startsWith: 'CUSTOMER#' }, sk: { is: recipientKey('', campaignId).sk } },
        limit,
        cursor,
      });
      return { items: page.items.map(fromRecipientItem), nextCursor: page.nextCursor };
    },
  };
}
