import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../support/local-runtime.ts';
import { warehouseFiles, warehouseRows } from '../support/warehouse-files.ts';

// The warehouse through the real local runtime: writes through the HTTP API -> table stream ->
// warehouseExport -> Parquet files in the runtime's warehouse folder, read back with hyparquet.
// The person's name, email, phone and words never reach a file; after erasure the pseudonym's
// mapping is gone from the table, so the rows that stay name nobody.

let t: TestRuntime;
beforeAll(async () => {
  t = await startTestRuntime();
});
afterAll(async () => {
  await t?.runtime.stop();
});

const MARKERS = ['Wilhelmina', 'Quixotically', 'wilhelmina.q@example.com', '+441632960961', 'Baker Street 221b', 'my parcel never came'];

async function everyRow(): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for (const table of ['customers', 'interactions', 'cases', 'consents', 'campaign_sends', 'opportunities']) {
    for (const row of await warehouseRows(t.runtime.warehouseDir, table)) rows.push({ table, ...row });
  }
  return rows;
}

const pseudonymItem = async (customerId: string) =>
  (await t.runtime.client.send(new GetCommand({ TableName: t.runtime.tableName, Key: { pk: `CUSTOMER#${customerId}`, sk: 'PSEUDONYM' }, ConsistentRead: true }))).Item;

describe('warehouse export', () => {
  it('exports customers, interactions and cases as pseudonymous Parquet rows, and after erasure nobody can be re-identified', async () => {
    const created = await t.call('POST', '/customers', {
      body: { email: 'wilhelmina.q@example.com', firstName: 'Wilhelmina', lastName: 'Quixotically', phone: '+441632960961', attributes: { address: 'Baker Street 221b' }, tags: ['vip'] },
    });
    expect(created.status, created.text).toBe(201);
    const id = created.json.id as string;
    const purchase = await t.call('POST', `/customers/${id}/interactions`, {
      body: {
        channel: 'store',
        type: 'purchase',
        occurredAt: '2026-02-03T10:00:00.000Z',
        summary: 'Wilhelmina bought two lamps',
        data: { items: [{ sku: 'LAMP-1', name: 'Lamp for Wilhelmina', unitPrice: 19.5, quantity: 2 }], currency: 'EUR', note: 'my parcel never came' },
      },
    });
    expect(purchase.status, purchase.text).toBe(201);
    const note = await t.call('POST', `/customers/${id}/interactions`, { body: { channel: 'phone', type: 'call', direction: 'inbound', summary: 'Quixotically called from +441632960961' } });
    expect(note.status, note.text).toBe(201);
    const opened = await t.call('POST', '/cases', { body: { customerId: id, subject: 'my parcel never came', description: 'Wilhelmina at Baker Street 221b', channel: 'email', priority: 'high', queue: 'support' } });
    expect(opened.status, opened.text).toBe(201);
    await t.runtime.idle();

    const mapping = await pseudonymItem(id);
    const pseudonym = mapping?.pseudonym as string;
    expect(pseudonym).toMatch(/^[0-9a-f-]{36}$/);

    const rows = await everyRow();
    const mine = rows.filter((r) => r.pseudonym === pseudonym);
    const customerRow = mine.find((r) => r.table === 'customers');
    expect(customerRow).toMatchObject({ status: 'active', tag_count: 1, version: 1 });
    const interactions = mine.filter((r) => r.table === 'interactions');
    expect(interactions.find((r) => r.type === 'purchase')).toMatchObject({ channel: 'store', amount: 39, currency: 'EUR', skus: 'LAMP-1', date: '2026-02-03', kind: 'interaction' });
    expect(interactions.find((r) => r.type === 'call')).toMatchObject({ channel: 'phone', direction: 'inbound', amount: null });
    // The case is on the customer's timeline too (kind case), and in the cases table.
    expect(interactions.some((r) => r.kind === 'case')).toBe(true);
    expect(mine.find((r) => r.table === 'cases')).toMatchObject({ case_id: opened.json.id, queue: 'support', priority: 'high', status: 'open', channel: 'email', first_response_breached: false });
    expect(await warehouseFiles(t.runtime.warehouseDir)).toEqual(expect.arrayContaining([expect.stringMatching(/^customers\/date=\d{4}-\d{2}-\d{2}\/[0-9a-f]{32}\.parquet$/)]));

    const noPersonalData = (all: Record<string, unknown>[]) => {
      const text = JSON.stringify(all);
      for (const marker of MARKERS) expect(text).not.toContain(marker);
      expect(text).not.toContain(id);
    };
    noPersonalData(rows);

    const current = await t.call('GET', `/customers/${id}`);
    const erased = await t.call('DELETE', `/customers/${id}`, { role: 'manager', headers: { 'if-match': current.headers.get('etag')! } });
    expect(erased.status, erased.text).toBe(204);
    await t.runtime.idle();

    // The mapping went with the person's partition, and no export re-created it afterwards.
    expect(await pseudonymItem(id)).toBeUndefined();
    const table = await t.runtime.client.send(new ScanCommand({ TableName: t.runtime.tableName, ConsistentRead: true }));
    expect(JSON.stringify(table.Items)).not.toContain(pseudonym);
    // The rows stay for the aggregates, under a key nothing maps back.
    const after = await everyRow();
    expect(after.filter((r) => r.pseudonym === pseudonym).length).toBeGreaterThanOrEqual(mine.length);
    noPersonalData(after);
  });

  it('exports consent states and opportunities: no opportunity name, no consent proof', async () => {
    expect((await t.call('PUT', '/topics', { role: 'admin', body: [{ id: 'news', name: 'News', purpose: 'marketing' }] })).status).toBe(200);
    const customer = (await t.call('POST', '/customers', { body: { email: 'consenting.person@example.com', firstName: 'Ottoline' } })).json.id as string;
    const granted = await t.call('POST', `/customers/${customer}/consents`, { role: 'admin', body: { topic: 'news', action: 'grant', legalBasis: 'consent', proof: 'signed by Ottoline at the fair' } });
    expect(granted.status, granted.text).toBeLessThan(300);
    const account = await t.call('POST', '/accounts', { role: 'agent', body: { name: 'Initech' } });
    expect(account.status, account.text).toBe(201);
    const deal = await t.call('POST', '/opportunities', { role: 'agent', body: { accountId: account.json.id, name: 'Fleet renewal for Ottoline', amount: 12000, currency: 'EUR', closeDate: '2027-03-31' } });
    expect(deal.status, deal.text).toBe(201);
    await t.runtime.idle();

    const pseudonym = (await pseudonymItem(customer))?.pseudonym as string;
    expect(await warehouseRows(t.runtime.warehouseDir, 'consents')).toEqual(expect.arrayContaining([expect.objectContaining({ pseudonym, topic: 'news', state: 'subscribed' })]));
    expect(await warehouseRows(t.runtime.warehouseDir, 'opportunities')).toEqual(
      expect.arrayContaining([expect.objectContaining({ opportunity_id: deal.json.id, account_id: account.json.id, amount: 12000, currency: 'EUR', close_date: '2027-03-31', version: 1 })]),
    );
    const text = JSON.stringify(await everyRow());
    for (const marker of ['Ottoline', 'consenting.person', 'Initech', 'Fleet renewal', 'signed by']) expect(text).not.toContain(marker);
  });
});
