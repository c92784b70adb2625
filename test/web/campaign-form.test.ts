import { describe, expect, it } from 'vitest';
import { campaignBody, EMPTY_CAMPAIGN, instantOf, movesOf } from '../../web/src/screens/marketer/campaign-form.ts';

const FORM = { ...EMPTY_CAMPAIGN, name: ' Winter ', topic: 'news', segmentId: 'seg-1', subject: 'Hello {{firstName|there}}', text: 'Body' };

describe('the campaign form', () => {
  it('builds a scheduled campaign with its time as an instant, or a draft to schedule later', () => {
    expect(campaignBody({ ...FORM, at: '2026-12-24T18:00' })).toEqual({
      name: 'Winter',
      topic: 'news',
      audience: { segmentId: 'seg-1' },
      template: { subject: 'Hello {{firstName|there}}', text: 'Body' },
      schedule: { at: new Date('2026-12-24T18:00').toISOString() },
    });
    expect(campaignBody(FORM)).not.toHaveProperty('schedule');
  });

  it('builds a triggered campaign with its event and no schedule', () => {
    expect(campaignBody({ ...FORM, kind: 'triggered', at: '2026-12-24T18:00', event: 'ConsentConfirmed' })).toMatchObject({ trigger: { event: 'ConsentConfirmed' } });
    expect(campaignBody({ ...FORM, kind: 'triggered' })).not.toHaveProperty('schedule');
  });

  it('passes a time it cannot read as typed, so that the schema names it', () => {
    expect(instantOf('soon')).toBe('soon');
    expect(instantOf(' ')).toBe('');
  });
});

describe('campaign moves', () => {
  it('offers the moves of the life cycle from each status', () => {
    expect(movesOf({ status: 'draft', trigger: null })).toEqual(['schedule', 'cancel']);
    expect(movesOf({ status: 'draft', trigger: { event: 'CustomerCreated' } })).toEqual(['activate', 'cancel']);
    expect(movesOf({ status: 'running', trigger: null })).toEqual(['pause', 'cancel']);
    expect(movesOf({ status: 'paused', trigger: null })).toEqual(['resume', 'cancel']);
    expect(movesOf({ status: 'completed', trigger: null })).toEqual([]);
    expect(movesOf({ status: 'cancelled', trigger: null })).toEqual([]);
  });
});
