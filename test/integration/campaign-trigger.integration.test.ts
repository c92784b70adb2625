import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCustomer } from '../../domain/customers/customer.ts';
import { interactionUseCases } from '../../domain/customers/interaction.use-cases.ts';
import { InteractionRecorded } from '../../events/interaction-recorded.event.ts';
import { campaignTriggerFor } from '../../functions/campaigns/campaign-trigger.composition.ts';
import { campaignTriggerHandler } from '../../functions/campaigns/campaign-trigger.handler.ts';
import { toCampaignItem } from '../../functions/campaigns/campaign.keys.ts';
import { dynamoCustomerRepository } from '../../functions/customers/customer.dynamodb-repository.ts';
import { systemClock, uuidIds } from '../../functions/shared/system.ts';
import { freshTable } from '../support/dynamodb.ts';
import { fakeAudience, fakeDelivery, fakeSchedules, triggeredCampaign } from '../support/trigger-fakes.ts';

// The trigger's reads against DynamoDB Local: the campaign as the campaign API stores it, and the
// interaction's data found from nothing but the ids and time InteractionRecorded carries.

let table: Awaited<ReturnType<typeof freshTable>>;
beforeAll(async () => {
  table = await freshTable();
});
afterAll(async () => {
  await table?.drop();
});

describe('campaignTrigger on the table', () => {
  it("checks data.<key> conditions on the interaction's stored data", async () => {
    const infra = { client: table.client, tableName: table.tableName, ids: uuidIds, clock: systemClock };
    const customers = dynamoCustomerRepository(infra);
    const { customer, events } = createCustomer({ email: `trigger-${Date.now()}@example.com` }, uuidIds.next(), new Date());
    await customers.create(customer, events, { correlationId: 'setup' });
    const interactions = interactionUseCases({ customers, clock: systemClock, ids: uuidIds });
    const pricing = await interactions.recordOne(customer.id, { channel: 'web', type: 'page_view', data: { path: '/pricing' } });
    const blog = await interactions.recordOne(customer.id, { channel: 'web', type: 'page_view', data: { path: '/blog' } });

    const where = { 'data.path': '/pricing' };
    for (const id of ['camp-a', 'camp-b']) {
      const item = toCampaignItem(triggeredCampaign({ id, trigger: { event: 'InteractionRecorded', where, delayMinutes: 0 } }));
      await table.client.send(new PutCommand({ TableName: table.tableName, Item: item }));
    }
    const audience = fakeAudience(['seg-1']);
    audience.set('seg-1', customer.id);
    const delivery = fakeDelivery();
    const handler = campaignTriggerHandler(campaignTriggerFor(infra, { audience, delivery, schedules: fakeSchedules() }));
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const ruleInput = (campaignId: string, i: typeof pricing) => {
      const data = { customerId: customer.id, interactionId: i.id, channel: i.channel, type: i.type, occurredAt: i.occurredAt };
      const detail = { metadata: { eventId: i.id, version: 1, occurredAt: i.recordedAt, correlationId: 'c', causationId: null, idempotencyKey: i.id }, data };
      return { campaignId, event: { id: i.id, source: InteractionRecorded.source, 'detail-type': InteractionRecorded.detailType, detail } };
    };
    expect(await handler(ruleInput('camp-a', blog))).toEqual({ decision: 'where_unmet' });
    expect(await handler(ruleInput('camp-b', pricing))).toEqual({ decision: 'sent' });
    log.mockRestore();
    expect(delivery.sent.map((s) => [s.campaignId, s.customerId])).toEqual([['camp-b', customer.id]]);
  });
});
