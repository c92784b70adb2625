import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerUseCases } from '../../domain/customers/customer.use-cases.ts';
import type { Lead } from '../../domain/sales/lead.schema.ts';
import { CustomerBeingErasedError } from '../../domain/shared/errors.ts';
import { dynamoCustomerRepository } from '../../functions/customers/customer.dynamodb-repository.ts';
import { customerKey } from '../../functions/customers/customer.keys.ts';
import { leadAppFor } from '../../functions/sales/lead.composition.ts';
import { dynamoLeadRepository } from '../../functions/sales/lead.dynamodb-repository.ts';
import { toLeadItem } from '../../functions/sales/lead.keys.ts';
import { systemClock, uuidIds } from '../../functions/shared/system.ts';
import { freshTable } from '../support/dynamodb.ts';

// Leads on DynamoDB Local: one open lead per email under concurrent captures (the pointer's
// conditional put in the lead's own transaction), the outbox record with the write, nothing
// written when the linked customer is being erased, listings per filter, and the erasure sweep.

let table: Awaited<ReturnType<typeof freshTable>>;
const ctx = { correlationId: 'lead-integration' };
const origin = { baseUrl: 'https://crm.example' };

beforeAll(async () => {
  table = await freshTable();
});
afterAll(async () => {
  await table?.drop();
});

const infra = () => ({ client: table.client, tableName: table.tableName, clock: systemClock, ids: uuidIds });
const leadItems = async (email: string) => (await table.scanAll()).filter((i) => i.type === 'Lead' && (i.data as Lead).email === email);

describe('leads on DynamoDB', () => {
  it('ten concurrent captures of one email make one open lead that counts them all', async () => {
    const { leads } = leadAppFor(infra());
    const email = 'burst@example.com';
    await Promise.all(Array.from({ length: 10 }, () => leads.capture({ email, source: 'web' }, origin, ctx)));
    const items = await leadItems(email);
    expect(items).toHaveLength(1);
    expect((items[0]!.data as Lead).captures).toBe(10);
    const all = await table.scanAll();
    expect(all.filter((i) => String(i.pk).startsWith('LEAD_EMAIL#') && i.pk === `LEAD_EMAIL#${email}`)).toHaveLength(1);
    // One LeadCaptured in the outbox: the recaptures emit nothing.
    const outbox = all.filter((i) => String(i.pk).startsWith('OUTBOX#') && JSON.stringify(i).includes((items[0]!.data as Lead).id));
    expect(outbox).toHaveLength(1);
    expect(JSON.stringify(outbox)).not.toContain(email);
  });

  it('concurrent staff creates of one email: exactly one wins, the others get lead-open', async () => {
    const { leads } = leadAppFor(infra());
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => leads.create({ email: 'race@example.com', source: 'web' }, ctx)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results.filter((x) => x.status === 'rejected')) expect((r as PromiseRejectedResult).reason.code).toBe('lead-open');
  });

  it('writes nothing when the linked customer is being erased', async () => {
    const app = leadAppFor(infra());
    const db = infra();
    const customers = customerUseCases({ customers: dynamoCustomerRepository(db), clock: db.clock, ids: db.ids });
    const { customer } = await customers.create({ email: 'erasing@example.com' }, ctx);
    await table.client.send(new UpdateCommand({ TableName: table.tableName, Key: customerKey(customer.id), UpdateExpression: 'SET erasingSince = :t', ExpressionAttributeValues: { ':t': new Date().toISOString() } }));
    await expect(app.leads.create({ email: 'erasing@example.com', source: 'web' }, ctx)).rejects.toBeInstanceOf(CustomerBeingErasedError);
    expect(await leadItems('erasing@example.com')).toEqual([]);
    expect((await table.scanAll()).some((i) => i.pk === 'LEAD_EMAIL#erasing@example.com')).toBe(false);
  });

  it('lists newest first per filter, and the erasure sweep removes a customer\'s leads and pointers', async () => {
    const repo = dynamoLeadRepository(infra());
    const { leads } = leadAppFor(infra());
    const a = await leads.create({ email: 'list-a@example.com', source: 'web', ownerId: 'owner-x' }, ctx);
    const b = await leads.create({ email: 'list-b@example.com', source: 'web', ownerId: 'owner-x' }, ctx);
    await leads.patch(a.id, { status: 'working' }, undefined, ctx);
    expect((await repo.list({ limit: 10, owner: 'owner-x' })).items.map((l) => l.id)).toEqual([b.id, a.id]);
    expect((await repo.list({ limit: 10, owner: 'owner-x', status: 'working' })).items.map((l) => l.id)).toEqual([a.id]);
    expect((await repo.list({ limit: 10, status: 'working' })).items.map((l) => l.id)).toContain(a.id);
    expect((await repo.list({ limit: 10, owner: 'owner-x', status: 'new' })).items.map((l) => l.id)).toEqual([b.id]);

    const linked: Lead = { ...(await repo.get(b.id))!, customerId: 'cust-sweep' };
    // Link by hand (no profile: the guard is the use case's concern, the sweep only reads the index).
    await table.client.send(new PutCommand({ TableName: table.tableName, Item: toLeadItem(linked) }));
    expect(await leads.eraseCustomerLeads('cust-sweep')).toBe(1);
    expect(await repo.get(b.id)).toBeUndefined();
    expect((await table.scanAll()).some((i) => i.pk === 'LEAD_EMAIL#list-b@example.com')).toBe(false);
  });
});
