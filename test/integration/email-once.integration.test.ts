import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoConsentRepository } from '../../functions/consent/consent.dynamodb-repository.ts';
import { CLAIM_LEASE_SECONDS, dynamoOnceGuard } from '../../functions/shared/once-guard.ts';
import { EmailSent } from '../../events/email-sent.event.ts';
import { freshTable } from '../support/dynamodb.ts';
import { fakeClock, sequentialIds } from '../support/fakes.ts';

// The two halves of "sent at least once, recorded once" on DynamoDB Local: the claim per event
// (a lease while in progress, done for good) and the delivery record per delivery key.

let table: Awaited<ReturnType<typeof freshTable>>;
const clock = fakeClock('2025-01-15T09:00:00.000Z');

beforeAll(async () => {
  table = await freshTable();
});
afterAll(async () => {
  await table?.drop();
});

describe('dynamoOnceGuard', () => {
  it('claims once; a claim in progress is busy until its lease runs out; done stays done; release frees only a claim in progress', async () => {
    const once = dynamoOnceGuard(table.client, table.tableName, clock);
    expect(await once.claim('notice#e1')).toBe('claimed');
    expect(await once.claim('notice#e1')).toBe('busy');
    clock.advance((CLAIM_LEASE_SECONDS + 1) * 1000); // the attempt that held it died
    expect(await once.claim('notice#e1')).toBe('claimed');
    await once.done('notice#e1');
    expect(await once.claim('notice#e1')).toBe('done');
    await once.release('notice#e1');
    expect(await once.claim('notice#e1')).toBe('done');

    expect(await once.claim('notice#e2')).toBe('claimed');
    await once.release('notice#e2');
    expect(await once.claim('notice#e2')).toBe('claimed');
  });
});

describe('recordDelivery with a delivery key', () => {
  it('records a mail that a retry sent twice once: one delivery, one timeline entry, one EmailSent', async () => {
    const consents = dynamoConsentRepository({ client: table.client, tableName: table.tableName, clock, ids: sequentialIds('o') });
    const delivery = { id: 'd-1', customerId: 'c-1', at: clock.now().toISOString(), kind: 'service' as const, topic: 'newsletter', subject: 'Please confirm', outcome: 'sent' as const, reason: null, messageId: 'm-1' };
    const sent = () => [EmailSent.of({ messageId: 'm-1', kind: 'service', topic: 'newsletter', customerId: 'c-1' })];
    // The person the mail is about (a delivery about someone gone is not recorded at all).
    await table.client.send(new PutCommand({ TableName: table.tableName, Item: { pk: 'CUSTOMER#c-1', sk: 'PROFILE', type: 'Customer' } }));
    await consents.recordDelivery(delivery, sent(), { correlationId: 'a' }, 'optin#e9');
    await consents.recordDelivery({ ...delivery, id: 'd-2', at: new Date(clock.now().getTime() + 60_000).toISOString(), messageId: 'm-2' }, sent(), { correlationId: 'b' }, 'optin#e9');
    const items = await table.scanAll();
    expect(items.filter((i) => String(i.sk).startsWith('EMAIL#'))).toHaveLength(1);
    expect(items.filter((i) => String(i.pk) === 'CUSTOMER#c-1' && String(i.sk).startsWith('TL#'))).toHaveLength(1);
    expect(items.filter((i) => String(i.pk).startsWith('OUTBOX#'))).toHaveLength(1);
  });
});
