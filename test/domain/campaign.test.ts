import { describe, expect, it } from 'vitest';
import {
  activateCampaign,
  ALLOWED_FROM,
  type CampaignAction,
  CampaignStateError,
  cancelCampaign,
  draftCampaign,
  patchCampaign,
  pauseCampaign,
  resumeCampaign,
  scheduleCampaign,
} from '#domain/campaigns/campaign.ts';
import { CAMPAIGN_STATUSES, type Campaign, type CampaignInput, type CampaignStatus } from '#domain/campaigns/campaign.schema.ts';
import { ValidationError } from '#domain/shared/errors.ts';

const NOW = new Date('2026-03-01T10:00:00.000Z');
const LATER = '2026-03-02T10:00:00.000Z';
const INPUT: CampaignInput = { name: 'Spring', topic: 'news', template: { subject: 'Hi {{firstName|there}}', text: 'Hello' }, audience: { segmentId: 'seg-1' } };

const draft = (input: Partial<CampaignInput> = {}) => draftCampaign({ ...INPUT, ...input }, 'cmp-1', NOW);
const inStatus = (status: CampaignStatus, extra: Partial<Campaign> = {}): Campaign => ({ ...draft(), status, ...extra });

function issuesOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error.issues.map((i) => i.path);
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('creating a campaign', () => {
  it('is a draft with defaults filled in', () => {
    const c = draft({ trigger: { event: 'ConsentConfirmed', where: { topic: 'news' } } });
    expect(c).toMatchObject({ status: 'draft', version: 1, pausedFrom: null, schedule: null, holdIfOpenCase: null, frequencyCap: null, startedAt: null, completedAt: null });
    expect(c.trigger).toEqual({ event: 'ConsentConfirmed', where: { topic: 'news' }, delayMinutes: 0 });
    expect(c.template.html).toBeNull();
    expect(draft({ schedule: { at: '2026-03-02T12:00:00+02:00' } }).schedule).toEqual({ at: '2026-03-02T10:00:00.000Z' });
  });

  it('names each problem: unknown placeholders, schedule and trigger together, a where key that does not fit', () => {
    expect(issuesOf(() => draft({ template: { subject: 'Hi {{fristName}}', text: '{{attributes.plan}} {{nope}}' } }))).toEqual(['template.subject', 'template.text']);
    expect(issuesOf(() => draft({ schedule: { at: LATER }, trigger: { event: 'CustomerCreated' } }))).toEqual(['trigger']);
    expect(issuesOf(() => draft({ trigger: { event: 'CaseStatusChanged', where: { to: 'gone', channel: 'web' } } }))).toEqual(['trigger.where.to', 'trigger.where.channel']);
  });
});

describe('the states table', () => {
  const commands: Record<Exclude<CampaignAction, 'edit'>, (c: Campaign) => unknown> = {
    schedule: (c) => scheduleCampaign({ ...c, schedule: { at: LATER } }, undefined, NOW),
    activate: (c) => activateCampaign({ ...c, trigger: { event: 'CustomerCreated', where: {}, delayMinutes: 0 } }, NOW),
    pause: (c) => pauseCampaign(c, NOW),
    resume: (c) => resumeCampaign({ ...c, pausedFrom: 'active', trigger: { event: 'CustomerCreated', where: {}, delayMinutes: 0 } }, NOW),
    cancel: (c) => cancelCampaign(c, NOW),
  };
  const edit = (c: Campaign) => patchCampaign(c, { name: 'Renamed' }, NOW);

  it('allows exactly the moves of the life cycle; every other one is a 409 campaign-state', () => {
    expect(ALLOWED_FROM).toEqual({
      schedule: ['draft'],
      activate: ['draft'],
      pause: ['scheduled', 'active', 'running'],
      resume: ['paused'],
      cancel: ['draft', 'scheduled', 'active', 'paused', 'running'],
      edit: ['draft', 'scheduled', 'active', 'paused'],
    });
    for (const status of CAMPAIGN_STATUSES) {
      const pausedFrom = status === 'paused' ? 'active' : null;
      for (const [action, run] of [...Object.entries(commands), ['edit', edit] as const]) {
        const campaign = inStatus(status, { pausedFrom, ...(status === 'active' || status === 'paused' ? { trigger: { event: 'CustomerCreated', where: {}, delayMinutes: 0 } } : {}), ...(status === 'scheduled' ? { schedule: { at: LATER } } : {}) });
        const allowed = ALLOWED_FROM[action as CampaignAction].includes(status);
        if (allowed) expect(() => run(campaign), `${action} from ${status}`).not.toThrow();
        else {
          expect(() => run(campaign), `${action} from ${status}`).toThrow(CampaignStateError);
          try {
            run(campaign);
          } catch (error) {
            expect((error as CampaignStateError).code).toBe('campaign-state');
          }
        }
      }
    }
  });

  it('completed and cancelled are final', () => {
    for (const status of ['completed', 'cancelled'] as const) {
      for (const run of [...Object.values(commands), edit]) expect(() => run(inStatus(status))).toThrow(CampaignStateError);
    }
  });

  it('schedule: at from the body or the campaign, in the future, with CampaignScheduled; a triggered campaign is activated instead', () => {
    const { campaign, events } = scheduleCampaign(draft(), LATER, NOW);
    expect(campaign).toMatchObject({ status: 'scheduled', schedule: { at: LATER }, version: 2 });
    expect(events.map((e) => [e.definition.detailType, e.data])).toEqual([['CampaignScheduled', { campaignId: 'cmp-1', at: LATER }]]);
    expect(scheduleCampaign(draft({ schedule: { at: LATER } }), undefined, NOW).campaign.schedule).toEqual({ at: LATER });
    expect(issuesOf(() => scheduleCampaign(draft(), undefined, NOW))).toEqual(['at']);
    expect(issuesOf(() => scheduleCampaign(draft(), NOW.toISOString(), NOW))).toEqual(['at']);
    expect(issuesOf(() => scheduleCampaign(draft({ schedule: { at: '2026-02-01T00:00:00Z' } }), undefined, NOW))).toEqual(['schedule.at']);
    expect(() => scheduleCampaign(draft({ trigger: { event: 'CustomerCreated' } }), LATER, NOW)).toThrow(CampaignStateError);
  });

  it('activate needs a trigger', () => {
    expect(() => activateCampaign(draft(), NOW)).toThrow(/Only a campaign with a trigger/);
    expect(activateCampaign(draft({ trigger: { event: 'CustomerCreated' } }), NOW).campaign.status).toBe('active');
  });

  it('pause remembers where it was, with CampaignPaused; resume goes back there', () => {
    for (const from of ['scheduled', 'active', 'running'] as const) {
      const { campaign, events } = pauseCampaign(inStatus(from, { schedule: { at: LATER } }), NOW);
      expect(campaign).toMatchObject({ status: 'paused', pausedFrom: from });
      expect(events.map((e) => e.data)).toEqual([{ campaignId: 'cmp-1', from }]);
      expect(resumeCampaign(campaign, NOW).campaign).toMatchObject({ status: from, pausedFrom: null });
    }
  });

  it('a scheduled campaign whose time passed while paused starts as soon as possible', () => {
    const paused = pauseCampaign(inStatus('scheduled', { schedule: { at: LATER } }), NOW).campaign;
    const inTime = resumeCampaign(paused, NOW);
    expect(inTime.campaign.schedule).toEqual({ at: LATER });
    const late = new Date('2026-03-05T00:00:00.000Z');
    const resumed = resumeCampaign(paused, late);
    expect(resumed.campaign).toMatchObject({ status: 'scheduled', schedule: { at: late.toISOString() } });
    expect(resumed.events.map((e) => e.data)).toEqual([{ campaignId: 'cmp-1', at: late.toISOString() }]);
  });

  it('cancel is final and forgets pausedFrom', () => {
    expect(cancelCampaign(inStatus('paused', { pausedFrom: 'running' }), NOW).campaign).toMatchObject({ status: 'cancelled', pausedFrom: null });
  });
});

describe('patching a campaign', () => {
  it('merges: null clears an optional field, absent keeps it; nothing changed is no new version', () => {
    const c = draft({ holdIfOpenCase: 'urgent', frequencyCap: { max: 2, perDays: 7 } });
    const { campaign } = patchCampaign(c, { holdIfOpenCase: null, name: 'New' }, NOW);
    expect(campaign).toMatchObject({ name: 'New', holdIfOpenCase: null, frequencyCap: { max: 2, perDays: 7 }, version: 2 });
    const same = patchCampaign(c, { name: c.name }, NOW);
    expect(same.campaign).toBe(c);
    expect(same.events).toEqual([]);
  });

  it('validates like create', () => {
    expect(issuesOf(() => patchCampaign(draft({ schedule: { at: LATER } }), { trigger: { event: 'CustomerCreated' } }, NOW))).toEqual(['trigger']);
    expect(issuesOf(() => patchCampaign(draft(), { template: { subject: '{{x}}', text: 't' } }, NOW))).toEqual(['template.subject']);
    expect(issuesOf(() => patchCampaign(draft(), { trigger: { event: 'ConsentConfirmed', where: { to: 'solved' } } }, NOW))).toEqual(['trigger.where.to']);
  });

  it('a scheduled campaign whose time changes is rescheduled (in the future, with CampaignScheduled) and keeps a schedule', () => {
    const scheduled = inStatus('scheduled', { schedule: { at: LATER } });
    const later = '2026-03-03T10:00:00.000Z';
    const moved = patchCampaign(scheduled, { schedule: { at: later } }, NOW);
    expect(moved).toMatchObject({ rescheduled: true, retriggered: false });
    expect(moved.events.map((e) => e.data)).toEqual([{ campaignId: 'cmp-1', at: later }]);
    expect(patchCampaign(scheduled, { name: 'x' }, NOW).rescheduled).toBe(false);
    expect(issuesOf(() => patchCampaign(scheduled, { schedule: { at: '2026-02-01T00:00:00.000Z' } }, NOW))).toEqual(['schedule.at']);
    expect(issuesOf(() => patchCampaign(scheduled, { schedule: null }, NOW))).toEqual(['schedule']);
  });

  it('an active campaign whose trigger changes gets its rule replaced, and keeps a trigger', () => {
    const active = inStatus('active', { trigger: { event: 'CustomerCreated', where: {}, delayMinutes: 0 } });
    expect(patchCampaign(active, { trigger: { event: 'ConsentConfirmed', where: { topic: 'news' } } }, NOW)).toMatchObject({ retriggered: true, rescheduled: false });
    expect(patchCampaign(active, { trigger: { event: 'CustomerCreated' } }, NOW).retriggered).toBe(false);
    expect(issuesOf(() => patchCampaign(active, { trigger: null }, NOW))).toEqual(['trigger']);
  });

  it('a paused campaign can be edited; one paused while running keeps its topic, audience, schedule and trigger', () => {
    expect(patchCampaign(inStatus('paused', { pausedFrom: 'running' }), { name: 'x' }, NOW).campaign.name).toBe('x');
    expect(issuesOf(() => patchCampaign(inStatus('paused', { pausedFrom: 'running' }), { audience: { segmentId: 'seg-2' }, topic: 'other' }, NOW))).toEqual(['topic', 'audience']);
    // Paused from scheduled: the time may have passed; resume starts it then.
    const paused = inStatus('paused', { pausedFrom: 'scheduled', schedule: { at: LATER } });
    expect(patchCampaign(paused, { schedule: { at: '2026-02-01T00:00:00.000Z' } }, NOW).rescheduled).toBe(false);
  });
});
