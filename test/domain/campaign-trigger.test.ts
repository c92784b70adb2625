import { describe, expect, it } from 'vitest';
import { consumerWhere, triggerPattern, whereIssues } from '#domain/campaigns/trigger.ts';
import { compilePattern, matchesPattern } from '../../infra/local/event-pattern.ts';

// Every pattern is checked by the local bus's validator (EventBridge's own rules) and matched
// against events in the envelope the outbox publishes: detail = {metadata, data}.

const event = (source: string, detailType: string, data: Record<string, unknown>) => ({
  source,
  'detail-type': detailType,
  detail: { metadata: { eventId: 'e-1', version: 1 }, data },
});

describe('trigger patterns', () => {
  it('CustomerCreated: source and detail-type only', () => {
    const pattern = triggerPattern({ event: 'CustomerCreated' });
    expect(pattern).toEqual({ source: ['crm.customers'], 'detail-type': ['CustomerCreated'] });
    expect(() => compilePattern(pattern)).not.toThrow();
    expect(matchesPattern(pattern, event('crm.customers', 'CustomerCreated', { customerId: 'c', fields: [] }))).toBe(true);
    expect(matchesPattern(pattern, event('crm.customers', 'CustomerUpdated', { customerId: 'c' }))).toBe(false);
  });

  it('InteractionRecorded: type and channel in the pattern, data.<key> left to the consumer', () => {
    const trigger = { event: 'InteractionRecorded' as const, where: { type: 'purchase', channel: ['web', 'store'], 'data.sku': 'A-1', 'data.cart.total': 5 } };
    const pattern = triggerPattern(trigger);
    expect(pattern).toEqual({ source: ['crm.customers'], 'detail-type': ['InteractionRecorded'], detail: { data: { type: ['purchase'], channel: ['web', 'store'] } } });
    expect(() => compilePattern(pattern)).not.toThrow();
    const recorded = (type: string, channel: string) => event('crm.customers', 'InteractionRecorded', { customerId: 'c', interactionId: 'i', channel, type, occurredAt: '2026-01-01T00:00:00.000Z' });
    expect(matchesPattern(pattern, recorded('purchase', 'store'))).toBe(true);
    expect(matchesPattern(pattern, recorded('purchase', 'phone'))).toBe(false);
    expect(matchesPattern(pattern, recorded('page_view', 'web'))).toBe(false);
    expect(consumerWhere(trigger)).toEqual({ 'data.sku': 'A-1', 'data.cart.total': 5 });
  });

  it('CaseStatusChanged to solved, ConsentConfirmed for a topic', () => {
    const solved = triggerPattern({ event: 'CaseStatusChanged', where: { to: 'solved' } });
    expect(() => compilePattern(solved)).not.toThrow();
    expect(matchesPattern(solved, event('crm.cases', 'CaseStatusChanged', { caseId: 'k', from: 'open', to: 'solved' }))).toBe(true);
    expect(matchesPattern(solved, event('crm.cases', 'CaseStatusChanged', { caseId: 'k', from: 'solved', to: 'closed' }))).toBe(false);
    const confirmed = triggerPattern({ event: 'ConsentConfirmed', where: { topic: ['news', 'news'] } });
    expect(confirmed.detail).toEqual({ data: { topic: ['news'] } });
    expect(() => compilePattern(confirmed)).not.toThrow();
    expect(matchesPattern(confirmed, event('crm.consent', 'ConsentConfirmed', { customerId: 'c', topic: 'news', source: 'form' }))).toBe(true);
    expect(matchesPattern(confirmed, event('crm.consent', 'ConsentConfirmed', { customerId: 'c', topic: 'offers', source: 'form' }))).toBe(false);
  });

  it('a where that only the consumer checks adds nothing to the pattern', () => {
    const pattern = triggerPattern({ event: 'InteractionRecorded', where: { 'data.sku': 'A-1' } });
    expect(pattern).toEqual({ source: ['crm.customers'], 'detail-type': ['InteractionRecorded'] });
    expect(() => compilePattern(pattern)).not.toThrow();
  });
});

describe('where keys per event', () => {
  const paths = (issues: { path: string }[]) => issues.map((i) => i.path);

  it('accepts the keys each event carries', () => {
    expect(whereIssues({ event: 'InteractionRecorded', where: { type: 'x', channel: 'web', 'data.a': 1, 'data.a.b_c': true } })).toEqual([]);
    expect(whereIssues({ event: 'CaseStatusChanged', where: { to: ['solved', 'closed'] } })).toEqual([]);
    expect(whereIssues({ event: 'ConsentConfirmed', where: { topic: 'news' } })).toEqual([]);
    expect(whereIssues({ event: 'CustomerCreated' })).toEqual([]);
  });

  it('names a key that does not fit its event', () => {
    expect(paths(whereIssues({ event: 'CustomerCreated', where: { type: 'x' } }))).toEqual(['trigger.where.type']);
    expect(paths(whereIssues({ event: 'CaseStatusChanged', where: { status: 'solved', topic: 'x' } }))).toEqual(['trigger.where.status', 'trigger.where.topic']);
    expect(paths(whereIssues({ event: 'ConsentConfirmed', where: { 'data.x': 1 } }))).toEqual(['trigger.where.data.x']);
    expect(paths(whereIssues({ event: 'InteractionRecorded', where: { data: 'x', 'data.': 1, 'data..a': 1, toString: 'x' } }))).toEqual([
      'trigger.where.data',
      'trigger.where.data.',
      'trigger.where.data..a',
      'trigger.where.toString',
    ]);
    expect(whereIssues({ event: 'CustomerCreated', where: { constructor: 'x' } })[0]!.message).toContain('takes no where');
  });

  it('checks values: case statuses, channels, strings where the event has strings', () => {
    const wrongStatus = whereIssues({ event: 'CaseStatusChanged', where: { to: ['solved', 'done'] } });
    expect(paths(wrongStatus)).toEqual(['trigger.where.to']);
    expect(wrongStatus[0]!.message).toContain('open, pending, on_hold, solved, closed');
    expect(paths(whereIssues({ event: 'InteractionRecorded', where: { channel: 'fax' } }))).toEqual(['trigger.where.channel']);
    expect(paths(whereIssues({ event: 'InteractionRecorded', where: { type: 5 } }))).toEqual(['trigger.where.type']);
  });
});
