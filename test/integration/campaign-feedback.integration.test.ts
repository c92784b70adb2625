import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { EventBridgeEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCustomer } from '../../domain/customers/customer.ts';
import { ConsentWithdrawn } from '../../events/consent-withdrawn.event.ts';
import { envelope } from '../../events/define-event.ts';
import { SES_BOUNCE, SES_COMPLAINT, SES_DELIVERY, SES_SOURCE } from '../../events/ses-feedback.event.ts';
import { campaignFeedbackHandler } from '../../functions/campaigns/campaign-feedback.handler.ts';
import { dynamoFeedbackCounters } from '../../functions/campaigns/campaign-feedback.dynamodb.ts';
import { recipientKey, reportKey } from '../../functions/campaigns/campaign.keys.ts';
import { dynamoCustomerRepository } from '../../functions/customers/customer.dynamodb-repository.ts';
import { customerKey } from '../../functions/customers/customer.keys.ts';
import { systemClock, uuidIds } from '../../functions/shared/system.ts';
import { freshTable } from '../support/dynamodb.ts';

// The campaignFeedback consumer against DynamoDB Local: SES feedback of campaign mail and
// unsubscribes through its link become the report's counters, each counted once however often
// the event is delivered.

let table: Awaited<ReturnType<typeof freshTable>>;
let handler: ReturnType<typeof campaignFeedbackHandler>;
let failNextReportUpdate = false;

beforeAll(async () => {
  table = await freshTable();
  // A fault at the SDK edge: the next ADD on a report fails once (throttled, say).
  table.client.middlewareStack.add(
    (next, context) => async (args) => {
      const sk = (args.input as { Key?: { sk?: string | { S?: string } } }).Key?.sk;
      const onReport = sk === 'REPORT' || (typeof sk === 'object' && sk.S === 'REPORT');
      if (failNextReportUpdate && context.commandName === 'UpdateItemCommand' && onReport) {
        failNextReportUpdate = false;
        throw new Error('ProvisionedThroughputExceededException');
      }
      return next(args);
    },
    { step: 'initialize', name: 'failReportUpdate' },
  );
  handler = campaignFeedbackHandler(dynamoFeedbackCounters(table.client, table.tableName, systemClock));
});
afterAll(async () => {
  await table?.drop();
});
beforeEach(() => {
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
});

let n = 0;
const campaign = () => `camp-${++n}-${Date.now()}`;

async function report(campaignId: string) {
  const { Item } = await table.client.send(new GetCommand({ TableName: table.tableName, Key: reportKey(campaignId), ConsistentRead: true }));
  return { delivered: Item?.delivered ?? 0, bounced: Item?.bounced ?? 0, complained: Item?.complained ?? 0, unsubscribed: Item?.unsubscribed ?? 0 };
}

function sesEvent(detailType: string, messageId: string, tags: Record<string, string[]>): EventBridgeEvent<string, unknown> {
  const mail = { messageId, timestamp: '2025-01-15T09:00:00.000Z', source: 'crm@example.com', destination: ['ada@example.com'], tags };
  const at = '2025-01-15T09:00:01.000Z';
  const detail =
    detailType === SES_DELIVERY
      ? { eventType: 'Delivery', delivery: { timestamp: at, recipients: ['ada@example.com'], smtpResponse: '250 ok' }, mail }
      : detailType === SES_BOUNCE
        ? { eventType: 'Bounce', bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'ada@example.com' }], timestamp: at }, mail }
        : { eventType: 'Complaint', complaint: { complainedRecipients: [{ emailAddress: 'ada@example.com' }], timestamp: at }, mail };
  return { id: `eb-${messageId}-${detailType}`, version: '0', account: '1', time: at, region: 'eu-central-1', resources: [], source: SES_SOURCE, 'detail-type': detailType, detail };
}

function withdrawn(customerId: string, topic: string, campaignId?: string): EventBridgeEvent<string, unknown> {
  const data = { customerId, topic, source: 'unsubscribe_link', ...(campaignId ? { campaignId } : {}) };
  const eventId = `ev-${++n}`;
  const detail = envelope(ConsentWithdrawn.of(data), { eventId, occurredAt: '2025-01-15T09:05:00.000Z', correlationId: 'c', causationId: null, idempotencyKey: eventId });
  return { id: eventId, version: '0', account: '1', time: '2025-01-15T09:05:00Z', region: 'eu-central-1', resources: [], source: ConsentWithdrawn.source, 'detail-type': ConsentWithdrawn.detailType, detail };
}

async function recipientOf(campaignId: string): Promise<string> {
  const repo = dynamoCustomerRepository({ client: table.client, tableName: table.tableName, ids: uuidIds, clock: systemClock });
  const { customer, events } = createCustomer({ email: `fb-${++n}-${Date.now()}@example.com` }, uuidIds.next(), new Date());
  await repo.create(customer, events, { correlationId: 'setup' });
  // The per-recipient record the sender writes when it mails the customer (keys in campaign.keys.ts).
  const item = { ...recipientKey(customer.id, campaignId), outcome: 'sent', reason: null, at: '2025-01-15T09:00:00.000Z' };
  await table.client.send(new PutCommand({ TableName: table.tableName, Item: item }));
  return customer.id;
}

describe('campaignFeedback: SES events of campaign mail', () => {
  it('counts a delivery, a bounce and a complaint of tagged mail on the campaign report', async () => {
    const id = campaign();
    const tags = { campaign: [id], kind: ['marketing'], 'ses:configuration-set': ['crm'] };
    expect(await handler(sesEvent(SES_DELIVERY, 'm-1', tags))).toEqual({ counted: true });
    expect(await handler(sesEvent(SES_DELIVERY, 'm-2', tags))).toEqual({ counted: true });
    expect(await handler(sesEvent(SES_BOUNCE, 'm-3', tags))).toEqual({ counted: true });
    expect(await handler(sesEvent(SES_DELIVERY, 'm-4', tags))).toEqual({ counted: true });
    expect(await handler(sesEvent(SES_COMPLAINT, 'm-4', tags))).toEqual({ counted: true });
    expect(await report(id)).toEqual({ delivered: 3, bounced: 1, complained: 1, unsubscribed: 0 });
  });

  it('counts a redelivered SES event once', async () => {
    const id = campaign();
    const delivered = sesEvent(SES_DELIVERY, `m-${id}`, { campaign: [id] });
    const bounced = sesEvent(SES_BOUNCE, `m-${id}-b`, { campaign: [id] });
    await handler(delivered);
    expect(await handler(delivered)).toEqual({ counted: false });
    // SES may publish the same notification again under a new EventBridge id: the message id decides.
    expect(await handler({ ...delivered, id: 'another-eventbridge-id' })).toEqual({ counted: false });
    await handler(bounced);
    await handler(bounced);
    expect(await report(id)).toEqual({ delivered: 1, bounced: 1, complained: 0, unsubscribed: 0 });
  });

  it('counts nothing for mail without a campaign tag', async () => {
    expect(await handler(sesEvent(SES_DELIVERY, 'm-untagged', { kind: ['service'] }))).toEqual({ counted: false });
  });

  it('counts the event when its retry comes after a failed counter update (the mark is taken back)', async () => {
    const id = campaign();
    const event = sesEvent(SES_DELIVERY, `m-${id}`, { campaign: [id] });
    failNextReportUpdate = true;
    await expect(handler(event)).rejects.toThrow(/Throughput/);
    expect(await report(id)).toEqual({ delivered: 0, bounced: 0, complained: 0, unsubscribed: 0 });
    expect(await handler(event)).toEqual({ counted: true });
    expect(await handler(event)).toEqual({ counted: false });
    expect(await report(id)).toEqual({ delivered: 1, bounced: 0, complained: 0, unsubscribed: 0 });
  });
});

describe('campaignFeedback: unsubscribes through a campaign mail', () => {
  it('counts a recipient once per campaign, however many topics the link withdrew and however often the event comes', async () => {
    const id = campaign();
    const customerId = await recipientOf(id);
    const first = withdrawn(customerId, 'newsletter', id);
    expect(await handler(first)).toEqual({ counted: true });
    expect(await handler(first)).toEqual({ counted: false });
    expect(await handler(withdrawn(customerId, 'product-news', id))).toEqual({ counted: false });
    expect(await report(id)).toEqual({ delivered: 0, bounced: 0, complained: 0, unsubscribed: 1 });
    const { Item } = await table.client.send(new GetCommand({ TableName: table.tableName, Key: recipientKey(customerId, id) }));
    expect(Item).toMatchObject({ outcome: 'sent', unsubscribedAt: '2025-01-15T09:05:00.000Z' });
  });

  it('counts no one the campaign never mailed', async () => {
    const id = campaign();
    const other = await recipientOf(campaign());
    expect(await handler(withdrawn(other, 'newsletter', id))).toEqual({ counted: false });
    expect(await report(id)).toEqual({ delivered: 0, bounced: 0, complained: 0, unsubscribed: 0 });
  });

  it('counts no one being erased, and writes nothing about them', async () => {
    const id = campaign();
    const customerId = await recipientOf(id);
    await table.client.send(
      new UpdateCommand({ TableName: table.tableName, Key: customerKey(customerId), UpdateExpression: 'SET erasingSince = :t', ExpressionAttributeValues: { ':t': '2025-01-15T09:04:00.000Z' } }),
    );
    expect(await handler(withdrawn(customerId, 'newsletter', id))).toEqual({ counted: false });
    const { Item } = await table.client.send(new GetCommand({ TableName: table.tableName, Key: recipientKey(customerId, id) }));
    expect(Item?.unsubscribedAt).toBeUndefined();
    expect(await report(id)).toEqual({ delivered: 0, bounced: 0, complained: 0, unsubscribed: 0 });
  });

  it('takes the mark back when the counter update fails, so the retry counts', async () => {
    const id = campaign();
    const customerId = await recipientOf(id);
    failNextReportUpdate = true;
    await expect(handler(withdrawn(customerId, 'newsletter', id))).rejects.toThrow();
    expect(await handler(withdrawn(customerId, 'newsletter', id))).toEqual({ counted: true });
    expect(await report(id)).toEqual({ delivered: 0, bounced: 0, complained: 0, unsubscribed: 1 });
  });

  it('counts nothing for a withdrawal that names no campaign', async () => {
    const customerId = await recipientOf(campaign());
    expect(await handler(withdrawn(customerId, 'newsletter'))).toEqual({ counted: false });
  });
});
