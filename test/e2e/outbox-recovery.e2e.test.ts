import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTBOX_PENDING_INDEX } from '../../functions/shared/outbox.ts';
import { eventually, startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';

// Nothing is lost for good: an outbox record the stream could not publish (the bus was down and
// the stream's retries ran out) stays pending, with no TTL, and the outbox sweep (every 15 minutes
// of the virtual clock, for records pending over 30 minutes) publishes it; a record the stream
// published is never published again; and an event published twice (a lost mark) acts once.

let t: TestRuntime;
const PENDING = OUTBOX_PENDING_INDEX;

interface BusItem {
  detailType: string;
  detail: { metadata: { eventId: string }; data: Record<string, unknown> };
}
const busEvents = async (detailType: string, customerId: string) =>
  ((await t.call('GET', '/_local/events?limit=500', { role: null })).json.items as BusItem[]).filter(
    (e) => e.detailType === detailType && e.detail.data.customerId === customerId,
  );
const mailsTo = async (address: string) =>
  ((await (await fetch(`${t.runtime.sesUrl}/store`)).json()) as { emails: { destination: { to: string[] } }[] }).emails.filter((e) => e.destination.to.includes(address));
const advanceMinutes = async (minutes: number) => expect((await t.call('POST', '/_local/clock/advance', { role: null, body: { seconds: minutes * 60 } })).status).toBe(200);
const outboxRecord = async (eventId: string) =>
  (await t.runtime.client.send(new GetCommand({ TableName: t.runtime.tableName, Key: { pk: `OUTBOX#${eventId}`, sk: 'EVENT' }, ConsistentRead: true }))).Item;
/** The pending records of a detail type (the sweep's listing), read the way the sweep reads it. */
async function pendingOf(detailType: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for (let shard = 0; shard < 10; shard++) {
    const out = await t.runtime.client.send(
      new QueryCommand({
        TableName: t.runtime.tableName,
        IndexName: PENDING.name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': PENDING.partitionKey },
        ExpressionAttributeValues: { ':pk': `OUTBOX_PENDING#${shard}` },
      }),
    );
    items.push(...(out.Items ?? []).filter((i) => i.detailType === detailType));
  }
  return items;
}
const requestConsent = async (customerId: string) =>
  expect((await t.call('POST', `/customers/${customerId}/consents`, { body: { topic: 'newsletter', action: 'request', source: 'form' } })).status).toBe(202);

beforeAll(async () => {
  // The stream gives up after its first try, instead of STREAM_RETRY_ATTEMPTS backed-off retries (minutes).
  t = await startTestRuntime({ streamRetryAttempts: 0 });
  expect((await t.call('PUT', '/topics', { role: 'admin', body: [{ id: 'newsletter', name: 'Newsletter', purpose: 'marketing' }] })).status).toBe(200);
}, 60_000);
afterAll(async () => {
  await t?.runtime.stop();
});

describe('the outbox when the bus is down', () => {
  it('keeps the record pending with no TTL, and the sweep publishes it once it is 30 minutes old: the consumer acts once', async () => {
    const customer = (await t.call('POST', '/customers', { body: { email: 'outage@example.com' } })).json as { id: string };
    await t.runtime.idle();

    await t.runtime.busOutage.stop();
    try {
      await requestConsent(customer.id);
      await t.runtime.idle();
    } finally {
      await t.runtime.busOutage.restart();
    }
    const [pending] = await pendingOf('ConsentRequested');
    expect(pending).toBeDefined();
    expect(pending).not.toHaveProperty('expiresAt');
    expect(await busEvents('ConsentRequested', customer.id)).toEqual([]);
    expect(await mailsTo('outage@example.com')).toEqual([]);

    await advanceMinutes(16); // a sweep runs; the record is younger than 30 minutes: left to the stream
    expect(await busEvents('ConsentRequested', customer.id)).toEqual([]);

    await advanceMinutes(15); // the next sweep publishes it
    const published = await busEvents('ConsentRequested', customer.id);
    expect(published.map((e) => e.detail.metadata.eventId)).toEqual([String(pending!.pk).slice('OUTBOX#'.length)]);
    await eventually(async () => ((await mailsTo('outage@example.com')).length === 1 ? true : undefined));
    const marked = await outboxRecord(published[0]!.detail.metadata.eventId);
    expect(marked).toMatchObject({ publishedAt: expect.any(String), expiresAt: expect.any(Number) });
    expect(marked).not.toHaveProperty(PENDING.partitionKey);

    await advanceMinutes(31); // later sweeps leave it alone
    expect(await busEvents('ConsentRequested', customer.id)).toHaveLength(1);
    expect(await mailsTo('outage@example.com')).toHaveLength(1);
  }, 60_000);
});

describe('the outbox when the bus is up', () => {
  it('publishes through the stream once and marks the record, which no sweep publishes again', async () => {
    const customer = (await t.call('POST', '/customers', { body: { email: 'steady@example.com' } })).json as { id: string };
    await requestConsent(customer.id);
    await t.runtime.idle();
    const [event] = await busEvents('ConsentRequested', customer.id);
    expect(event).toBeDefined();
    const record = await outboxRecord(event!.detail.metadata.eventId);
    expect(record).toMatchObject({ publishedAt: expect.any(String), expiresAt: expect.any(Number) });
    // The TTL counts from the publishing: two days (virtual clock), never before it.
    expect(record!.expiresAt).toBe(Math.floor(Date.parse(String(record!.publishedAt)) / 1000) + 2 * 24 * 3600);
    expect(await pendingOf('ConsentRequested')).toEqual([]);

    await advanceMinutes(46); // three sweeps
    expect(await busEvents('ConsentRequested', customer.id)).toHaveLength(1);
    expect(await mailsTo('steady@example.com')).toHaveLength(1);
  }, 60_000);

  it('acts once on an event published twice (its mark was lost after PutEvents): consumers dedupe by event id', async () => {
    const customer = (await t.call('POST', '/customers', { body: { email: 'twice@example.com' } })).json as { id: string };
    await requestConsent(customer.id);
    await t.runtime.idle();
    const [event] = await busEvents('ConsentRequested', customer.id);
    await eventually(async () => ((await mailsTo('twice@example.com')).length === 1 ? true : undefined));
    const record = (await outboxRecord(event!.detail.metadata.eventId))!;
    // As if the publisher had crashed between PutEvents and the mark: pending again, no TTL.
    await t.runtime.client.send(
      new UpdateCommand({
        TableName: t.runtime.tableName,
        Key: { pk: record.pk, sk: 'EVENT' },
        UpdateExpression: 'SET #lpk = :lpk, #lsk = :lsk REMOVE expiresAt, publishedAt',
        ExpressionAttributeNames: { '#lpk': PENDING.partitionKey, '#lsk': PENDING.sortKey },
        ExpressionAttributeValues: { ':lpk': 'OUTBOX_PENDING#0', ':lsk': `${String(record.time)}#${event!.detail.metadata.eventId}` },
      }),
    );
    await advanceMinutes(31);
    expect((await busEvents('ConsentRequested', customer.id)).map((e) => e.detail.metadata.eventId)).toEqual([event!.detail.metadata.eventId, event!.detail.metadata.eventId]);
    await t.runtime.idle();
    expect(await mailsTo('twice@example.com')).toHaveLength(1);
  }, 60_000);
});
