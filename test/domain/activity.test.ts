import { describe, expect, it } from 'vitest';
import type { ActivityRepository } from '../../domain/sales/activity.ports.ts';
import type { Activity } from '../../domain/sales/activity.schema.ts';
import { ActivityInput, ActivityPatch } from '../../domain/sales/activity.schema.ts';
import { ActivityNotFoundError, createActivity, isOpen, patchActivity } from '../../domain/sales/activity.ts';
import { activityUseCases } from '../../domain/sales/activity.use-cases.ts';
import { ConcurrentUpdateError, StaleVersionError } from '../../domain/shared/errors.ts';
import { fakeClock, sequentialIds } from '../support/fakes.ts';

const NOW = new Date('2025-03-01T10:00:00.000Z');
const LATER = new Date('2025-03-02T10:00:00.000Z');
const ctx = { correlationId: 'activity-test' };

describe('activity rules', () => {
  it('starts open, version 1, with dueAt normalised to canonical ISO and absent links null', () => {
    const a = createActivity({ type: 'call', subject: 'Intro', dueAt: '2025-03-01T12:00:00Z', ownerId: 'u1' }, { id: 'act-1', now: NOW });
    expect(a).toEqual({
      id: 'act-1',
      type: 'call',
      subject: 'Intro',
      dueAt: '2025-03-01T12:00:00.000Z',
      customerId: null,
      accountId: null,
      opportunityId: null,
      ownerId: 'u1',
      completedAt: null,
      createdAt: NOW.toISOString(),
      updatedAt: NOW.toISOString(),
      version: 1,
    });
    expect(isOpen(a)).toBe(true);
  });

  it('patches subject, dueAt (null clears) and owner, and completes once (completing again keeps the first completedAt)', () => {
    const a = createActivity({ type: 'task', subject: 'Send quote', dueAt: '2025-03-01T12:00:00.000Z', ownerId: 'u1' }, { id: 'act-1', now: NOW });
    const moved = patchActivity(a, { subject: 'Send the quote', ownerId: 'u2', dueAt: null }, NOW);
    expect(moved).toMatchObject({ subject: 'Send the quote', ownerId: 'u2', dueAt: null, completedAt: null, version: 2 });
    const done = patchActivity(moved, { completed: true }, NOW);
    expect(done.completedAt).toBe(NOW.toISOString());
    expect(isOpen(done)).toBe(false);
    const again = patchActivity(done, { completed: true }, LATER);
    expect(again.completedAt).toBe(NOW.toISOString());
    expect(again.version).toBe(4);
  });

  it('refuses bad input: an unknown type, an empty subject, a missing owner, completed: false, unknown fields', () => {
    expect(ActivityInput.safeParse({ type: 'lunch', subject: 'x', ownerId: 'u1' }).success).toBe(false);
    expect(ActivityInput.safeParse({ type: 'call', subject: '  ', ownerId: 'u1' }).success).toBe(false);
    expect(ActivityInput.safeParse({ type: 'call', subject: 'x' }).success).toBe(false);
    expect(ActivityInput.safeParse({ type: 'call', subject: 'x', ownerId: 'u1', dueAt: 'tomorrow' }).success).toBe(false);
    expect(ActivityPatch.safeParse({ completed: false }).success).toBe(false);
    expect(ActivityPatch.safeParse({ completedAt: NOW.toISOString() }).success).toBe(false);
  });
});

function memoryRepository(): ActivityRepository & { items: Map<string, Activity>; raceNext: boolean; markers: Set<string>; opportunities: Map<string, string> } {
  const items = new Map<string, Activity>();
  const repo = {
    items,
    raceNext: false,
    async get(id: string) {
      return items.get(id);
    },
    async list() {
      return { items: [...items.values()], nextCursor: null };
    },
    opportunities: new Map<string, string>(),
    async accountOfOpportunity(id: string) {
      return repo.opportunities.get(id);
    },
    async linkedTo(customerId: string) {
      return [...items.values()].filter((a) => a.customerId === customerId).map((a) => a.id);
    },
    markers: new Set<string>(),
    async markDue(activity: Activity) {
      const key = `${activity.id}@${activity.dueAt}`;
      if (repo.markers.has(key)) return false;
      repo.markers.add(key);
      return true;
    },
    async save(next: Activity, previous: Activity | undefined) {
      if (repo.raceNext || (previous && items.get(next.id)?.version !== previous.version)) return { refused: 'version-moved' as const };
      items.set(next.id, next);
      return { saved: next, replayed: false };
    },
  };
  return repo;
}

function recordingSchedules() {
  const calls: string[] = [];
  return {
    calls,
    schedules: {
      async at(name: string, at: string, target: string, input: Record<string, unknown>) {
        calls.push(`at ${name} ${at} ${target} ${JSON.stringify(input)}`);
      },
      async cancel(name: string) {
        calls.push(`cancel ${name}`);
      },
    },
  };
}

describe('activity use cases', () => {
  it('schedules the reminder at dueAt, moves it with dueAt, cancels it on completion, and records ActivityDue once while it stands', async () => {
    const repo = memoryRepository();
    const rec = recordingSchedules();
    const app = activityUseCases({ activities: repo, clock: fakeClock(NOW), ids: sequentialIds('act'), schedules: rec.schedules });
    const a = await app.create({ type: 'call', subject: 'Call back', ownerId: 'u1', dueAt: '2025-03-01T11:00:00Z' }, ctx);
    expect(rec.calls).toEqual([`at activity-${a.id} 2025-03-01T11:00:00.000Z activityReminders {"activityId":"${a.id}","dueAt":"2025-03-01T11:00:00.000Z"}`]);
    await app.patch(a.id, { subject: 'Call back soon' }, undefined, ctx);
    expect(rec.calls).toHaveLength(1);
    await app.patch(a.id, { dueAt: '2025-03-01T12:00:00.000Z' }, undefined, ctx);
    expect(rec.calls[1]).toContain(`at activity-${a.id} 2025-03-01T12:00:00.000Z`);
    expect(await app.remind(a.id, '2025-03-01T11:00:00.000Z', ctx)).toBe('stale');
    expect(await app.remind(a.id, '2025-03-01T12:00:00.000Z', ctx)).toBe('due');
    expect(await app.remind(a.id, '2025-03-01T12:00:00.000Z', ctx)).toBe('already-reminded');
    await app.patch(a.id, { completed: true }, undefined, ctx);
    expect(rec.calls[2]).toBe(`cancel activity-${a.id}`);
    await app.patch(a.id, { completed: true }, undefined, ctx);
    expect(rec.calls).toHaveLength(3);
    expect(await app.remind(a.id, '2025-03-01T12:00:00.000Z', ctx)).toBe('stale');
    expect(await app.remind('gone', '2025-03-01T12:00:00.000Z', ctx)).toBe('stale');
    const plain = await app.create({ type: 'task', subject: 'No due', ownerId: 'u1' }, ctx);
    await app.patch(plain.id, { completed: true }, undefined, ctx);
    expect(rec.calls).toHaveLength(3);
  });


  it('creates, reads and patches; an unknown id is 404; a stale If-Match is 412; a lost race is 409 without If-Match', async () => {
    const repo = memoryRepository();
    const app = activityUseCases({ activities: repo, clock: fakeClock(NOW), ids: sequentialIds('act'), schedules: recordingSchedules().schedules });
    const created = await app.create({ type: 'meeting', subject: 'Demo', ownerId: 'u1' }, ctx);
    expect(await app.get(created.id)).toEqual(created);
    await expect(app.get('nope')).rejects.toBeInstanceOf(ActivityNotFoundError);
    await expect(app.patch(created.id, { subject: 'x' }, 7, ctx)).rejects.toBeInstanceOf(StaleVersionError);
    const patched = await app.patch(created.id, { completed: true }, 1, ctx);
    expect(patched.completedAt).toBe(NOW.toISOString());
    repo.raceNext = true;
    await expect(app.patch(created.id, { subject: 'y' }, undefined, ctx)).rejects.toBeInstanceOf(ConcurrentUpdateError);
    await expect(app.patch(created.id, { subject: 'y' }, 2, ctx)).rejects.toBeInstanceOf(StaleVersionError);
    expect(repo.items.get(created.id)?.subject).toBe('Demo');
  });
});
