import { describe, expect, it } from 'vitest';
import { SURVEY_STATUS_PATTERN } from '../../events/case-status-changed.event.ts';
import { compilePattern, matchesPattern, type Pattern } from '../../infra/local/event-pattern.ts';
import { RULES } from '../../infra/topology.ts';

// Which events reach csatSurveys (issue 11), as the local bus (and EventBridge) matches them.

const status = (from: string, to: string) => ({ source: 'crm.cases', 'detail-type': 'CaseStatusChanged', detail: { metadata: {}, data: { caseId: 'c-1', customerId: 'p-1', from, to } } });
const erased = { source: 'crm.customers', 'detail-type': 'CustomerErased', detail: { metadata: {}, data: { customerId: 'p-1' } } };
const reachesSurveys = (event: unknown) => RULES.filter((r) => matchesPattern(r.pattern as Pattern, event)).some((r) => r.target.kind === 'function' && r.target.function === 'csatSurveys');

describe('survey rules', () => {
  it('is a valid EventBridge pattern', () => {
    expect(() => compilePattern(SURVEY_STATUS_PATTERN)).not.toThrow();
  });

  it.each([
    ['open', 'solved'],
    ['pending', 'solved'],
    ['on_hold', 'solved'],
    ['solved', 'open'],
  ])('sends %s -> %s to csatSurveys', (from, to) => {
    expect(reachesSurveys(status(from, to))).toBe(true);
  });

  it.each([
    ['solved', 'closed'],
    ['open', 'pending'],
    ['pending', 'open'],
    ['on_hold', 'open'],
  ])('keeps %s -> %s away from it', (from, to) => {
    expect(reachesSurveys(status(from, to))).toBe(false);
  });

  it('sends CustomerErased to it (comments go, scores stay)', () => {
    expect(reachesSurveys(erased)).toBe(true);
  });
});
