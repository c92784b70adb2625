import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { PartnerAccounts } from '#domain/sales/partner.ts';
import type { Db } from '../shared/db.ts';
import type { ItemFilter } from '../shared/filtered-page.ts';
import type { TransactItem } from '../shared/outbox.ts';
import { accountKey } from './account.keys.ts';

// The partner parts of the leads and opportunities adapters: the assignment's check on the account
// item, the filter within a partner partition, and whether an account is (still) a partner.

/**
 * The account item holds the Account under `data` (account.keys.ts), its type included: the
 * nested path is checked, so accounts written before partners existed need no new attribute, and
 * the account adapter (which rewrites the whole item on every change) keeps it current.
 */
const IS_PARTNER = 'attribute_exists(pk) AND #partnerData.#partnerType = :partnerType';
const IS_PARTNER_NAMES = { '#partnerData': 'data', '#partnerType': 'type' };
const IS_PARTNER_VALUES = { ':partnerType': 'partner' };

/** ConditionCheck in an assignment's transaction: the account exists and is of type partner. */
export function partnerCheck(db: Pick<Db, 'tableName'>, accountId: string): TransactItem {
  return {
    ConditionCheck: {
      TableName: db.tableName,
      Key: accountKey(accountId),
      ConditionExpression: IS_PARTNER,
      ExpressionAttributeNames: IS_PARTNER_NAMES,
      ExpressionAttributeValues: IS_PARTNER_VALUES,
    },
  };
}

/** The other filters of a listing, within a partner's partition (the record lives under `data`). */
export function partnerListingFilter(fields: Readonly<Record<string, string | undefined>>, closingBefore?: string): ItemFilter | undefined {
  const named = Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined);
  if (named.length === 0 && closingBefore === undefined) return undefined;
  const names: Record<string, string> = { '#fdata': 'data' };
  const values: Record<string, unknown> = {};
  const terms = named.map(([field, value], i) => {
    names[`#f${i}`] = field;
    values[`:f${i}`] = value;
    return `#fdata.#f${i} = :f${i}`;
  });
  if (closingBefore !== undefined) {
    // closeDate is YYYY-MM-DD: string order is date order.
    names['#fclose'] = 'closeDate';
    values[':fclose'] = closingBefore;
    terms.push('#fdata.#fclose < :fclose');
  }
  return { expression: terms.join(' AND '), names, values };
}

/** Whether an account exists and is of type partner now (a partner user's every request asks). */
export function dynamoPartnerAccounts({ client, tableName }: Pick<Db, 'client' | 'tableName'>): PartnerAccounts {
  return {
    async isPartner(accountId) {
      // Consistent: a retype or delete cuts the partner's users off from the very next request.
      const { Item } = await client.send(
        new GetCommand({ TableName: tableName, Key: accountKey(accountId), ConsistentRead: true, ProjectionExpression: '#partnerData.#partnerType', ExpressionAttributeNames: IS_PARTNER_NAMES }),
      );
      return (Item?.data as { type?: string } | undefined)?.type === 'partner';
    },
  };
}
