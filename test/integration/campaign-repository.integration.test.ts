import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftCampaign } from '../../domain/campaigns/campaign.ts';
import { ConcurrentUpdateError } from '../../domain/shared/errors.ts';
import { CampaignScheduled } from '../../events/campaign-scheduled.event.ts';
import { dynamoCampaignRepository } from '../../functions/campaigns/campaign.dynamodb-repository.ts';
import { campaignKey, recipientIndexKeys, recipientKey, reportKey } from '../../functions/campaigns/campaign.keys.ts';
import { freshTable } from '../support/dynamodb.ts';
import { fakeClock, sequentialIds } from '../support/fakes.ts';

// The campaign repository against DynamoDB Local: what the other parts of the context rely on.

let table: Awaited<ReturnType<typeof freshTable>>;
let repo: ReturnType<typeof dynamoCampaignRepository>;
const CTX = { correlationId: 'it' };
const NOW = new Date('2026-03-01T10:00:00.000Z');
const draft = (id: string) => draftCampaign({ name: 'C', topic: 'news', template: { subject: 'S', text: 'T' }, audience: { segmentId: 'seg' } }, id, NOW);

beforeAll(async () => {
  table = await freshTable();
  repo = dynamoCampaignRepository({ client: table.client, tableName: table.tableName, clock: fakeClock(NOW), ids: sequentialIds('evt') });
});
afterAll(async () => {
  await table?.drop();
});

describe('campaign repository', () => {
  it('an update keeps attributes other parts put on the item, and commits its events through the outbox', async () => {
    const c = draft('c-1');
    await repo.create(c, [], CTX);
    await table.client.send(new UpdateCommand({ TableName: table.tableName, Key: campaignKey('c-1'), UpdateExpression: 'SET runId = :r', ExpressionAttributeValues: { ':r': 'run-1' } }));
    const next = { ...c, status: 'scheduled' as const, schedule: { at: '2026-03-02T00:00:00.000Z' }, version: 2 };
    await repo.update(c, next, [CampaignScheduled.of({ campaignId: 'c-1', at: next.schedule.at })], CTX);
    const { Item } = await table.client.send(new GetCommand({ TableName: table.tableName, Key: campaignKey('c-1') }));
    expect(Item).toMatchObject({ status: 'scheduled', schedule: { at: next.schedule.at }, version: 2, runId: 'run-1' });
    expect(await repo.get('c-1')).toEqual(next);
    const outbox = (await table.scanAll()).filter((i) => String(i.pk).startsWith('OUTBOX#'));
    expect(outbox.map((o) => o.detailType)).toEqual(['CampaignScheduled']);
  });

  it('refuses an update when another writer moved the status (without a new version) or the version', async () => {
    const c = draft('c-2');
    await repo.create(c, [], CTX);
    await table.client.send(
      new UpdateCommand({ TableName: table.tableName, Key: campaignKey('c-2'), UpdateExpression: 'SET #s = :s', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':s': 'running' } }),
    );
    await expect(repo.update(c, { ...c, name: 'x', version: 2 }, [], CTX)).rejects.toBeInstanceOf(ConcurrentUpdateError);
    const running = (await repo.get('c-2'))!;
    await repo.update(running, { ...running, status: 'paused', pausedFrom: 'running', version: 2 }, [], CTX);
    await expect(repo.update(running, { ...running, status: 'cancelled', version: 2 }, [], CTX)).rejects.toBeInstanceOf(ConcurrentUpdateError);
  });

  it('lists newest first; a replayed idempotent create returns the first campaign', async () => {
    const claim = { scope: 'me|POST /campaigns', key: 'k-1', fingerprint: 'f' };
    const first = await repo.create(draft('c-3'), [], { ...CTX, idempotency: claim });
    const again = await repo.create(draft('c-4'), [], { ...CTX, idempotency: claim });
    expect([first.replayed, again.replayed, again.campaign.id]).toEqual([false, true, 'c-3']);
    expect(await repo.get('c-4')).toBeUndefined();
    const page = await repo.list({ limit: 2 });
    expect(page.items).toHaveLength(2);
    expect(page.nextCursor).not.toBeNull();
  });

  it('reads the report counters and blocked_<reason> attributes, and pages recipients by outcome', async () => {
    expect((await repo.report('c-9')).sent).toBe(0);
    await table.client.send(new PutCommand({ TableName: table.tableName, Item: { ...reportKey('c-9'), sent: 4, blocked_erased: 2, blocked_: 7, note: 'x' } }));
    expect(await repo.report('c-9')).toEqual({ targeted: 0, sent: 4, held: 0, capped: 0, failed: 0, delivered: 0, bounced: 0, complained: 0, unsubscribed: 0, blocked: { erased: 2 } });
    for (const [customerId, outcome] of [['a', 'sent'], ['b', 'capped'], ['c', 'sent']] as const) {
      await table.client.send(
        new PutCommand({ TableName: table.tableName, Item: { ...recipientKey(customerId, 'c-9'), ...recipientIndexKeys('c-9', outcome, customerId), customerId, outcome, reason: null, at: NOW.toISOString() } }),
      );
    }
    const sent = await repo.recipients('c-9', { outcome: 'sent', limit: 1 });
    const rest = await repo.recipients('c-9', { outcome: 'sent', limit: 1, cursor: sent.nextCursor! });
    expect([...sent.items, ...rest.items].map((r) => r.customerId).sort()).toEqual(['a', 'c']);
    expect((await repo.recipients('c-9', { limit: 10 })).items.map((r) => r.outcome).sort()).toEqual(['capped', 'sent', 'sent']);
  });
});
