import { describe, expect, it } from 'vitest';
import { withMember, withoutMember } from '../../web/src/screens/manager/queue-members.ts';

const QUEUE = { name: 'support', members: ['ann'], managers: ['lead@example.com'], escalateTo: 'tier2' };

describe('queue members', () => {
  it('adds a member and keeps managers and escalation as read (the PUT replaces the queue)', () => {
    expect(withMember(QUEUE, ' bob ')).toEqual({ members: ['ann', 'bob'], managers: ['lead@example.com'], escalateTo: 'tier2' });
  });

  it('adds nobody twice and nothing empty', () => {
    expect(withMember(QUEUE, 'ann').members).toEqual(['ann']);
    expect(withMember(QUEUE, '  ').members).toEqual(['ann']);
  });

  it('removes a member; a queue without escalation sends none', () => {
    expect(withoutMember({ ...QUEUE, escalateTo: null }, 'ann')).toEqual({ members: [], managers: ['lead@example.com'] });
  });
});
