import { describe, expect, it } from 'vitest';
import { CaseStatusChanged } from '../../events/case-status-changed.event.ts';
import { casesHandler } from '../../functions/cases/cases.app.ts';
import { claimsFor, invoke } from '../support/api-gateway.ts';
import { T0 } from '../support/case-builders.ts';
import { fakeCaseRepository, fakePublishedArticles } from '../support/case-fakes.ts';
import { fakeClock, sequentialIds } from '../support/fakes.ts';

// Issue 10: a campaign triggered by "case solved" mails the case's customer, so the event names it.

describe('CaseStatusChanged', () => {
  it("names the case's customer when PATCH /cases/{id} moves the status", async () => {
    const repo = fakeCaseRepository({ clock: fakeClock(T0), customers: ['cust-7'] });
    const handler = casesHandler({ cases: repo, clock: fakeClock(T0), ids: sequentialIds('case'), articles: fakePublishedArticles() });
    const AGENT = claimsFor(['agent']);
    const opened = await invoke(handler, { routeKey: 'POST /cases', body: { customerId: 'cust-7', subject: 'Parcel missing', channel: 'email', queue: 'support' }, claims: AGENT });
    expect(opened.statusCode).toBe(201);
    const id = opened.json.id as string;
    const solved = await invoke(handler, { routeKey: 'PATCH /cases/{id}', pathParameters: { id }, body: { status: 'solved' }, claims: AGENT });
    expect(solved.statusCode).toBe(200);
    const changes = repo.events.filter((e) => e.definition === CaseStatusChanged);
    expect(changes.map((e) => e.data)).toEqual([{ caseId: id, customerId: 'cust-7', from: 'open', to: 'solved' }]);
    // The event is what goes on the bus: it must fit its catalog schema.
    expect(CaseStatusChanged.data.safeParse(changes[0]!.data).success).toBe(true);
  });
});
