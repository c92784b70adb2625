import type { CustomerRepository } from '#domain/customers/customer.repository.ts';
import { EMPTY_STATS } from '#domain/customers/stats.ts';
import { ConcurrentUpdateError, CustomerNotFoundError } from '#domain/shared/errors.ts';
import { NULLABLE_FIELDS } from '#domain/customers/customer.schema.ts';
import { TABLE } from '#infra/table.ts';
import { batchDelete, queryAll } from '../../shared/dynamo-batch.ts';
import type { TransactItem } from '../../shared/outbox.ts';
import { commit, commitInChunks } from '../../shared/transaction.ts';
import {
  customerKey,
  customerPartition,
  erasureKey,
  fromIdentityItem,
  fromInteractionItem,
  IDENTITY_PREFIX,
  identityKey,
  MERGED_FROM_PREFIX,
  mergedFromKey,
  REF_PREFIX,
  tagKey,
  TIMELINE_PREFIX,
  toTagItem,
} from '../customer.keys.ts';
import { type Db, del, events, put, update, WRITABLE } from '../../shared/db.ts';
import { customerCheck, refusalFor } from '../customer-guard.ts';
import { eraseUnlinkedLeadsOf, salesPersonalData } from '../../sales/personal-data.dynamodb.ts';

const BY_CREATED = TABLE.indexes.byCreatedAt;

export function lifecycle(db: Db): Pick<CustomerRepository, 'completeMerge' | 'exportData' | 'erase'> {
  const { client, tableName } = db;

  const partition = (id: string) =>
    queryAll(client, { TableName: tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': customerPartition(id) }, ConsistentRead: true });

  /** Every profile merged into the person, however many merges deep (the MERGED_FROM rows of each stub in turn). */
  async function mergedChain(direct: readonly string[]): Promise<string[]> {
    const seen = new Set<string>();
    const pending = [...direct];
    for (let id = pending.shift(); id !== undefined; id = pending.shift()) {
      if (seen.has(id)) continue;
      seen.add(id);
      for await (const page of queryAll(client, {
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :merged)',
        ExpressionAttributeValues: { ':pk': customerPartition(id), ':merged': MERGED_FROM_PREFIX },
        ConsistentRead: true,
      })) {
        pending.push(...page.map((item) => String(item.sourceId)));
      }
    }
    return [...seen];
  }

  return {
    async completeMerge(before, after, list, context) {
      const guard = (version: number, revision: number) => ({
        expression: `${WRITABLE} AND version = :version AND statsRevision = :revision`,
        values: { ':version': version, ':revision': revision },
      });
      const target = after.target;
      const items: TransactItem[] = [
        update(
          db,
          customerKey(target.id),
          {
            ...Object.fromEntries(NULLABLE_FIELDS.map((f) => [f, target[f]])),
            attributes: target.attributes,
            tags: target.tags,
            stats: target.stats,
            statsRevision: target.statsRevision,
            updatedAt: target.updatedAt,
            version: target.version,
          },
          guard(before.target.version, before.target.statsRevision),
        ),
        update(
          db,
          customerKey(after.source.id),
          {
            mergedInto: after.source.mergedInto,
            ...Object.fromEntries(NULLABLE_FIELDS.map((f) => [f, null])),
            email: null,
            attributes: null,
            tags: null,
            stats: EMPTY_STATS,
            statsRevision: after.source.statsRevision,
            updatedAt: after.source.updatedAt,
            version: after.source.version,
            [BY_CREATED.partitionKey]: null,
            [BY_CREATED.sortKey]: null,
          },
          guard(before.source.version, before.source.statsRevision),
        ),
        // The target remembers whom it absorbed: its erasure reaches everything the source left.
        put(db, { ...mergedFromKey(target.id, after.source.id), type: 'MergedFrom', sourceId: after.source.id, mergedAt: target.updatedAt }),
        ...events(db, list, context),
      ];
      const failed = await commit(client, items);
      if (failed) {
        // A profile being erased (or merged elsewhere) meanwhile is an answer, not a race to retry.
        for (const [index, id] of [target.id, after.source.id].entries()) {
          const refusal = failed.has(index) ? await refusalFor(db, id) : undefined;
          if (refusal && !(refusal instanceof ConcurrentUpdateError)) throw refusal;
        }
        throw new ConcurrentUpdateError();
      }
      // Tag memberships are an index of the profiles just written; they follow outside the
      // transaction (which they could overflow) and are idempotent if repeated.
      await batchDelete(client, tableName, before.source.tags.map((tag) => tagKey(tag, before.source)));
      const added = target.tags.filter((t) => !before.target.tags.includes(t));
      if (added.length && (await commit(client, [customerCheck(db, target.id), ...added.map((tag) => put(db, toTagItem(tag, target)))]))) {
        throw await refusalFor(db, target.id);
      }
    },

    async exportData(customerId) {
      const identities = [];
      const interactions = [];
      const absorbed: string[] = [];
      for await (const page of partition(customerId)) {
        for (const item of page) {
          const sk = String(item.sk);
          if (sk.startsWith(IDENTITY_PREFIX)) identities.push(fromIdentityItem(item));
          else if (sk.startsWith(TIMELINE_PREFIX)) interactions.push(fromInteractionItem(item));
          else if (sk.startsWith(MERGED_FROM_PREFIX)) absorbed.push(String(item.sourceId));
        }
      }
      const person = { ids: [customerId, ...(await mergedChain(absorbed))], emails: identities.filter((i) => i.type === 'email').map((i) => i.value) };
      return { identities, interactions: interactions.reverse(), ...(await salesPersonalData(db, customerId, person)) };
    },

    /**
     * flow: 1. mark the profile (and the stubs of the profiles merged into it) so that every
     * write about the person is refused from here on 2. the leads under the person's email
     * addresses that no customer was linked to (captured before the person became a customer), while
     * the identities that name those addresses still exist 3. delete identities, timeline, references,
     * tag memberships, in its partition and in every merged-away one 4. the stubs, then in one
     * transaction the profile, become anonymous erasure records, and CustomerErased (naming the
     * merged ids, so the other contexts scrub those too) is committed. A retry resumes wherever
     * it stopped: the MERGED_FROM rows go only in the last step.
     */
    async erase(customer, eventsFor, context) {
      const now = db.clock.now().toISOString();
      const marked = await commit(client, [
        update(db, customerKey(customer.id), { erasingSince: now }, { expression: 'attribute_exists(pk) AND version = :version', values: { ':version': customer.version } }),
      ]);
      if (marked) throw new ConcurrentUpdateError();

      const doomed: Record<string, unknown>[] = [];
      // Cases the timeline names: the cases context scrubs them without waiting for its index.
      const caseIds = new Set<string>();
      const absorbed: Record<string, unknown>[] = [];
      const emails = new Set(customer.email ? [customer.email] : []);
      const pending = [customer.id];
      const seen = new Set<string>();
      for (let id = pending.shift(); id !== undefined; id = pending.shift()) {
        if (seen.has(id)) continue;
        seen.add(id);
        if (id !== customer.id) {
          // A stub already erased on its own has no profile left to mark.
          await commit(client, [update(db, customerKey(id), { erasingSince: now }, { expression: 'attribute_exists(pk)' })]);
        }
        for await (const page of partition(id)) {
          for (const item of page) {
            const sk = String(item.sk);
            if (sk === 'PROFILE' || sk === 'ERASURE') continue;
            if (sk.startsWith(MERGED_FROM_PREFIX)) {
              absorbed.push({ pk: item.pk, sk: item.sk });
              pending.push(String(item.sourceId));
              continue;
            }
            doomed.push({ pk: item.pk, sk: item.sk });
            const caseId = (item.data as { caseId?: unknown } | undefined)?.caseId;
            if ((item.kind === 'case' || item.kind === 'case_comment') && typeof caseId === 'string') caseIds.add(caseId);
            if (sk.startsWith(IDENTITY_PREFIX)) {
              const identity = fromIdentityItem(item);
              doomed.push(identityKey(identity.type, identity.value));
              if (identity.type === 'email') emails.add(identity.value);
            }
            if (sk.startsWith(REF_PREFIX)) doomed.push({ pk: item.target, sk: 'IDEMPOTENCY' });
          }
        }
      }
      const mergedFrom = [...seen].filter((id) => id !== customer.id);
      doomed.push(...customer.tags.map((tag) => tagKey(tag, customer)));
      await eraseUnlinkedLeadsOf(db, [...emails]);
      await batchDelete(client, tableName, doomed);
      // The merged-away stubs become erasure records too (idempotent; before the last step so
      // that it stays one transaction however many merges the person went through).
      const stubs = mergedFrom.flatMap((id) => [del(db, customerKey(id)), put(db, { ...erasureKey(id), type: 'Erasure', erasedAt: now })]);
      await commitInChunks(client, stubs);

      const failed = await commit(client, [
        del(db, customerKey(customer.id), 'attribute_exists(erasingSince)'),
        put(db, { ...erasureKey(customer.id), type: 'Erasure', erasedAt: now, stats: { ...customer.stats } }),
        ...absorbed.map((key) => del(db, key)),
        ...events(db, eventsFor(mergedFrom, [...caseIds]), context),
      ]);
      if (failed) throw new CustomerNotFoundError(customer.id);
    },
  };
}
