import { describe, expect, it } from 'vitest';
import { Interaction } from '../../domain/customers/interaction.schema.ts';
import { createActivity, ERASED_SUBJECT, patchActivity } from '../../domain/sales/activity.ts';
import { activityUseCases } from '../../domain/sales/activity.use-cases.ts';
import type { Opportunity } from '../../domain/sales/opportunity.schema.ts';
import { activityTimelineEntry, opportunityTimelineEntry } from '../../domain/sales/sales-timeline.ts';
import { mergeNewestFirst } from '../../domain/sales/timeline-merge.ts';
import { fakeActivityRepository } from '../support/activity-fakes.ts';
import { fakeClock, sequentialIds } from '../support/fakes.ts';

// Sales records on timelines: the entries' shape (kinds, the `type`/`channel` the filters match,
// a key that never moves), the merge showing a record found by two sources once, an activity on an
// opportunity counting for its account, and erasure unlinking activities.

const NOW = new Date('2025-03-01T10:00:00.000Z');
const LATER = new Date('2025-03-05T10:00:00.000Z');
const ctx = { correlationId: 'timeline-test' };
const none = () => Promise.reject(new Error('no schedules here'));

describe('timeline entries', () => {
  it('an activity: kind activity, type activity_<type>, the channel it happens on, its createdAt as time (stable across changes)', () => {
    const a = createActivity({ type: 'call', subject: 'Intro call', dueAt: '2025-03-02T09:00:00Z', customerId: 'c1', accountId: 'acc-1', ownerId: 'u1' }, { id: 'act-1', now: NOW });
    const entry = activityTimelineEntry(a);
    expect(Interaction.safeParse(entry).success).toBe(true);
    expect(entry).toMatchObject({ kind: 'activity', id: 'act-1', customerId: 'c1', channel: 'phone', type: 'activity_call', direction: 'outbound', occurredAt: NOW.toISOString(), summary: 'Intro call' });
    expect(entry.data).toMatchObject({ activityId: 'act-1', dueAt: '2025-03-02T09:00:00.000Z', completedAt: null, accountId: 'acc-1' });
    const done = activityTimelineEntry(patchActivity(a, { completed: true, subject: 'Intro call (held)' }, LATER));
    expect(done).toMatchObject({ occurredAt: NOW.toISOString(), recordedAt: LATER.toISOString(), summary: 'Intro call (held)' });
    expect(done.data.completedAt).toBe(LATER.toISOString());
    expect(activityTimelineEntry({ ...a, type: 'email' }).channel).toBe('email');
    expect(activityTimelineEntry({ ...a, type: 'meeting' }).channel).toBe('web');
  });

  it('an opportunity: kind opportunity, its current stage and amount', () => {
    const o: Opportunity = {
      id: 'opp-1', accountId: 'acc-1', name: 'Renewal', amount: 1200.5, currency: 'EUR', stage: 'proposal', probability: 50, closeDate: '2025-06-30', ownerId: 'u1',
      partnerAccountId: null, products: [], stageHistory: [], lostReason: null, createdAt: NOW.toISOString(), updatedAt: LATER.toISOString(), version: 3,
    };
    const entry = opportunityTimelineEntry(o);
    expect(Interaction.safeParse(entry).success).toBe(true);
    expect(entry).toMatchObject({ kind: 'opportunity', id: 'opp-1', customerId: null, type: 'opportunity_proposal', occurredAt: NOW.toISOString(), summary: 'Renewal: proposal', value: { amount: 1200.5, currency: 'EUR' } });
    expect(entry.data).toMatchObject({ stage: 'proposal', probability: 50, accountId: 'acc-1' });
  });
});

describe('the merge of several sources', () => {
  it('shows an entry two sources returned once, and still pages on', () => {
    const key = (s: string) => s;
    expect(mergeNewestFirst([{ items: ['9', '7', '5'], stoppedAt: '5' }, { items: ['8', '7', '6'], stoppedAt: '6' }], key, 3)).toEqual({ items: ['9', '8', '7'], resumeAfter: '7' });
    expect(mergeNewestFirst([{ items: ['9', '7'], stoppedAt: null }, { items: ['9', '7'], stoppedAt: null }], key, 3)).toEqual({ items: ['9', '7'], resumeAfter: null });
  });
});

describe('activity links', () => {
  it('an activity on an opportunity without an account counts for the opportunity account; a given account or an unknown opportunity stays as given', async () => {
    const activities = fakeActivityRepository();
    activities.opportunities.set('opp-1', 'acc-9');
    const cases = activityUseCases({ activities, clock: fakeClock(NOW), ids: sequentialIds('act'), schedules: { at: none, cancel: none } });
    expect((await cases.create({ type: 'task', subject: 'Quote', opportunityId: 'opp-1', ownerId: 'u1' }, ctx)).accountId).toBe('acc-9');
    expect((await cases.create({ type: 'task', subject: 'Quote', opportunityId: 'opp-1', accountId: 'acc-2', ownerId: 'u1' }, ctx)).accountId).toBe('acc-2');
    expect((await cases.create({ type: 'task', subject: 'Quote', opportunityId: 'opp-x', ownerId: 'u1' }, ctx)).accountId).toBeNull();
  });

  it("a customer's erasure unlinks their activities and drops the subject; others stay", async () => {
    const activities = fakeActivityRepository();
    const cases = activityUseCases({ activities, clock: fakeClock(NOW), ids: sequentialIds('act'), schedules: { at: none, cancel: none } });
    const theirs = await cases.create({ type: 'call', subject: 'Call Ada about her divorce', customerId: 'c1', accountId: 'acc-1', ownerId: 'u1' }, ctx);
    const other = await cases.create({ type: 'call', subject: 'Call Bob', customerId: 'c2', ownerId: 'u1' }, ctx);
    expect(await cases.scrubCustomer('c1', ctx)).toBe(1);
    expect(activities.items.get(theirs.id)).toMatchObject({ customerId: null, subject: ERASED_SUBJECT, accountId: 'acc-1', version: 2 });
    expect(activities.items.get(other.id)).toEqual(other);
    expect(await cases.scrubCustomer('c1', ctx)).toBe(0);
  });
});
