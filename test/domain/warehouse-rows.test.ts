import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WAREHOUSE_COLUMNS, type WarehouseRecord, warehouseRecordOf } from '#domain/analytics/warehouse-rows.ts';

// The warehouse holds no direct personal data: every field a person could fill with something
// about themselves carries a marker, in every shape (bare word, email, phone, sentence), and no
// marker may reach any row of any table.

const marker = fc.stringMatching(/^[a-z]{10}$/).map((s) => `pii${s}`);
const at = '2026-03-04T05:06:07.000Z';

function itemsWith(m: string, customerId: string): Record<string, unknown>[] {
  const email = `${m}@example.com`;
  const sentence = `my name is ${m} and I live at ${m} street 5`;
  return [
    {
      pk: `CUSTOMER#${customerId}`,
      sk: 'PROFILE',
      id: customerId,
      email,
      firstName: m,
      lastName: m,
      phone: '+4915112345678',
      locale: m,
      timezone: m,
      attributes: { address: sentence, [m]: m },
      tags: [m, email],
      stats: { interactionCount: 3, purchaseCount: 1, lastChannel: m, totalSpent: { EUR: 10 }, byChannel: {} },
      createdAt: at,
      updatedAt: at,
      version: 2,
    },
    {
      pk: `CUSTOMER#${customerId}`,
      sk: `TL#${at}#i1`,
      kind: 'interaction',
      id: 'i1',
      customerId,
      channel: 'web',
      interactionType: sentence,
      direction: m,
      occurredAt: at,
      recordedAt: at,
      summary: sentence,
      data: { note: m, email, items: [{ sku: email, name: m, unitPrice: 2, quantity: 3 }, { sku: sentence, unitPrice: 1 }], currency: m, amount: 9 },
      value: { amount: 7, currency: 'EUR' },
    },
    { pk: `CUSTOMER#${customerId}`, sk: `TL#${at}#i2`, kind: 'interaction', id: 'i2', channel: 'store', interactionType: email, occurredAt: at, data: { amount: 5, currency: 'EUR' } },
    { pk: `CUSTOMER#${customerId}`, sk: `CAMPAIGN#c1`, customerId, outcome: 'blocked', reason: sentence, at },
    { pk: `CONSENT#${customerId}`, sk: `STATE#${email}`, state: 'subscribed', updatedAt: at },
    {
      pk: 'CASE#k1',
      sk: 'CASE',
      customerId,
      data: {
        id: 'k1',
        number: m,
        customerId,
        subject: sentence,
        description: sentence,
        channel: 'email',
        priority: 'high',
        status: 'open',
        queue: email,
        assigneeId: email,
        tags: [m],
        sla: { breaches: [{ milestone: 'firstResponse', at, dueAt: at, escalated: false }] },
        satisfaction: { score: 4, comment: sentence, ratedAt: at },
        escalationLevel: 0,
        createdAt: at,
        updatedAt: at,
        firstRespondedAt: null,
        solvedAt: null,
        closedAt: null,
        version: 1,
      },
    },
    {
      pk: 'OPPORTUNITY#o1',
      sk: 'OPPORTUNITY',
      data: {
        id: 'o1',
        accountId: 'a1',
        name: sentence,
        amount: 100,
        currency: 'EUR',
        stage: 'lost',
        probability: 0,
        closeDate: '2026-03-04',
        ownerId: email,
        products: [{ sku: 's', name: m }],
        stageHistory: [],
        lostReason: sentence,
        createdAt: at,
        updatedAt: at,
        version: 1,
      },
    },
  ];
}

const rowsOf = (items: Record<string, unknown>[], pseudonym: string) =>
  items.map((item) => warehouseRecordOf(item)).filter((r): r is WarehouseRecord => r !== null).map((r) => ({ table: r.table, row: r.row(r.customerId ? pseudonym : null) }));

describe('warehouse rows', () => {
  it('no marker put in a personal or free-text field reaches any row, and no row names the customer id', () => {
    fc.assert(
      fc.property(marker, fc.uuid(), fc.uuid(), (m, customerId, pseudonym) => {
        const rows = rowsOf(itemsWith(m, customerId), pseudonym);
        expect(new Set(rows.map((r) => r.table))).toEqual(new Set(Object.keys(WAREHOUSE_COLUMNS)));
        for (const { row } of rows) {
          const text = JSON.stringify(row);
          expect(text).not.toContain(m);
          expect(text).not.toContain(customerId);
          expect(text).not.toContain('4915112345678');
          expect(text).not.toContain('@');
        }
      }),
      { numRuns: 200 },
    );
  });

  it('every row has exactly its table columns, of their types', () => {
    for (const { table, row } of rowsOf(itemsWith('someone', 'c1'), 'p1')) {
      const columns = WAREHOUSE_COLUMNS[table];
      expect(Object.keys(row).sort()).toEqual(columns.map((c) => c.name).sort());
      for (const column of columns) {
        const value = row[column.name];
        if (value === null) continue;
        const expected = { string: 'string', timestamp: 'string', double: 'number', int: 'number', boolean: 'boolean' }[column.type];
        expect(typeof value, `${table}.${column.name}`).toBe(expected);
      }
    }
  });

  it('keeps what analysis needs: pseudonym, channel, codes, amounts (items over data.amount), SLA outcome, consent state', () => {
    const rows = rowsOf(
      [
        { pk: 'CUSTOMER#c1', sk: 'TL#x', kind: 'interaction', id: 'i9', channel: 'store', interactionType: 'purchase', occurredAt: at, data: { items: [{ sku: 'SKU-1', unitPrice: 2.5, quantity: 2 }, { sku: 'B2', unitPrice: 1 }], currency: 'USD' } },
        ...itemsWith('x', 'c1').filter((i) => i.pk !== 'CUSTOMER#c1' || i.sk !== `TL#${at}#i1`),
      ],
      'p1',
    );
    const interaction = rows.find((r) => r.table === 'interactions' && r.row.interaction_id === 'i9')!.row;
    expect(interaction).toMatchObject({ pseudonym: 'p1', channel: 'store', type: 'purchase', amount: 6, currency: 'USD', skus: 'B2,SKU-1', occurred_at: at });
    expect(rows.find((r) => r.row.interaction_id === 'i2')!.row).toMatchObject({ amount: 5, type: 'other' });
    expect(rows.find((r) => r.table === 'cases')!.row).toMatchObject({ pseudonym: 'p1', queue: 'other', priority: 'high', first_response_breached: true, resolution_breached: false, satisfaction_score: 4 });
    expect(rows.find((r) => r.table === 'consents')!.row).toMatchObject({ pseudonym: 'p1', topic: 'other', state: 'subscribed' });
    expect(rows.find((r) => r.table === 'opportunities')!.row).toMatchObject({ account_id: 'a1', stage: 'lost', amount: 100, close_date: '2026-03-04', product_count: 1 });
    expect(rows.find((r) => r.table === 'customers')!.row).toMatchObject({ pseudonym: 'p1', status: 'active', tag_count: 2, interaction_count: 3 });
  });

  it('exports nothing for items outside the six tables (identities, comments, outbox, the pseudonym itself)', () => {
    for (const item of [
      { pk: 'CUSTOMER#c1', sk: 'IDENTITY#email#a@b.c', value: 'a@b.c' },
      { pk: 'CUSTOMER#c1', sk: 'PSEUDONYM', pseudonym: 'p' },
      { pk: 'CASE#k1', sk: `COMMENT#${at}#m1`, data: { body: 'x' } },
      { pk: 'OUTBOX#1', sk: 'EVENT' },
      { pk: 'IDENTITY#email#a@b.c', sk: 'IDENTITY' },
      { pk: 'ANON#z', sk: `TL#${at}#i`, occurredAt: at, id: 'i' },
    ]) {
      expect(warehouseRecordOf(item)).toBeNull();
    }
  });

  it('keeps generated ids and numeric skus (an EAN) whole, and turns a phone number given as a type into other', () => {
    const [row] = rowsOf([{ pk: 'CUSTOMER#c1', sk: 'TL#x', kind: 'interaction', id: '12345678-aaaa', channel: 'web', interactionType: '015112345678', occurredAt: at, data: { items: [{ sku: '4006381333931', unitPrice: 1 }] } }], 'p');
    expect(row!.row).toMatchObject({ interaction_id: '12345678-aaaa', type: 'other', skus: '4006381333931' });
  });

  it('partitions a row by the day of its event', () => {
    const [record] = itemsWith('x', 'c1').slice(1, 2).map((i) => warehouseRecordOf(i)!);
    expect(record!.date).toBe('2026-03-04');
  });
});
