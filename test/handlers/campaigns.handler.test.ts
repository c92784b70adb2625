import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { campaignUseCases } from '../../domain/campaigns/campaign.use-cases.ts';
import { campaignsHandler } from '../../functions/campaigns/campaigns.app.ts';
import { tokenSigner } from '../../functions/shared/hmac-tokens.ts';
import { PROBLEM_TITLES } from '../../functions/shared/problem.ts';
import { type ApiRequest, claimsFor, invoke } from '../support/api-gateway.ts';
import { fakeCampaignControl, type FakeCampaignRepository, fakeCampaignRepository } from '../support/campaign-fakes.ts';
import { type FakeEmailSender, fakeEmailSender } from '../support/case-fakes.ts';
import { fakeClock, sequentialIds } from '../support/fakes.ts';

const MARKETER = claimsFor(['marketer']);
const ADMIN = claimsFor(['admin']);
const AGENT = claimsFor(['agent']);
const BODY = { name: 'Spring', topic: 'news', template: { subject: 'Hi {{firstName|there}}', text: 'Hello' }, audience: { segmentId: 'seg-1' } };

let repo: FakeCampaignRepository;
let control: ReturnType<typeof fakeCampaignControl>;
let mailer: FakeEmailSender;
let handler: ReturnType<typeof campaignsHandler>;
let errorLog: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  repo = fakeCampaignRepository({
    topics: [{ id: 'news', name: 'News', description: 'n', purpose: 'marketing' }],
    segments: ['seg-1'],
    people: { 'cust-1': { email: 'ada@example.com', firstName: 'Ada', lastName: null, attributes: {} } },
  });
  control = fakeCampaignControl();
  mailer = fakeEmailSender();
  const campaigns = campaignUseCases({ campaigns: repo, ...control, mailer, tokens: tokenSigner('unit-test-secret-0123456789abcdefghij'), clock: fakeClock('2026-03-01T10:00:00.000Z'), ids: sequentialIds('cmp') });
  handler = campaignsHandler({ segments: undefined as never, campaigns });
  errorLog = vi.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterEach(() => {
  // No request of these tests may end in an unhandled 500.
  expect(errorLog).not.toHaveBeenCalled();
  errorLog.mockRestore();
});

const call = (request: ApiRequest) => invoke(handler, request);
const on = (routeKey: string, id: string, extra: Partial<ApiRequest> = {}) => call({ routeKey, pathParameters: { id }, claims: MARKETER, ...extra });

async function created() {
  const res = await call({ routeKey: 'POST /campaigns', body: BODY, claims: MARKETER });
  expect(res.statusCode).toBe(201);
  return res;
}

describe('campaign routes', () => {
  it('create: 201 with Location and ETag; marketer and admin only', async () => {
    const res = await created();
    expect(res.headers?.location).toBe(`/campaigns/${res.json.id}`);
    expect(res.headers?.etag).toBe('"1"');
    expect((await call({ routeKey: 'POST /campaigns', body: BODY, claims: AGENT })).statusCode).toBe(403);
    expect((await call({ routeKey: 'GET /campaigns', claims: AGENT })).statusCode).toBe(403);
    expect((await call({ routeKey: 'GET /campaigns', claims: ADMIN })).json.items).toHaveLength(1);
  });

  it('an id that cannot be a campaign id, or none stored, is a 404', async () => {
    expect((await on('GET /campaigns/{id}', 'a b')).statusCode).toBe(404);
    expect((await on('POST /campaigns/{id}/pause', 'missing')).statusCode).toBe(404);
    expect((await on('GET /campaigns/{id}/recipients', 'missing')).statusCode).toBe(404);
  });

  it('PATCH refuses read-only fields and malformed If-Match (400), stale If-Match (412)', async () => {
    const { json: c } = await created();
    const readOnly = await on('PATCH /campaigns/{id}', c.id, { body: { status: 'active' } });
    expect(readOnly.statusCode).toBe(400);
    expect(readOnly.json.errors.map((e: { path: string }) => e.path)).toContain('status');
    expect((await on('PATCH /campaigns/{id}', c.id, { body: { name: 'x' }, headers: { 'if-match': 'v1' } })).statusCode).toBe(400);
    expect((await on('PATCH /campaigns/{id}', c.id, { body: { name: 'x' }, headers: { 'if-match': '"2"' } })).statusCode).toBe(412);
    const ok = await on('PATCH /campaigns/{id}', c.id, { body: { name: 'x' }, headers: { 'if-match': '"1"', 'content-type': 'application/merge-patch+json' } });
    expect([ok.statusCode, ok.headers?.etag]).toEqual([200, '"2"']);
  });

  it('schedule takes an optional body; moves answer the campaign with its ETag, or 409 campaign-state', async () => {
    const { json: c } = await created();
    const noTime = await on('POST /campaigns/{id}/schedule', c.id);
    expect([noTime.statusCode, noTime.json.errors]).toEqual([400, [{ path: 'at', message: 'is required when the campaign has no schedule.at' }]]);
    expect((await on('POST /campaigns/{id}/schedule', c.id, { body: { at: 'tomorrow' } })).statusCode).toBe(400);
    const scheduled = await on('POST /campaigns/{id}/schedule', c.id, { body: { at: '2026-03-02T00:00:00Z' } });
    expect([scheduled.statusCode, scheduled.headers?.etag, scheduled.json.status]).toEqual([200, '"2"', 'scheduled']);
    const again = await on('POST /campaigns/{id}/activate', c.id);
    expect(again.statusCode).toBe(409);
    expect(again.json).toMatchObject({ type: 'urn:ecrm:problem:campaign-state', title: PROBLEM_TITLES['campaign-state'] });
    expect((await on('POST /campaigns/{id}/cancel', c.id, { headers: { 'if-match': '"1"' } })).statusCode).toBe(412);
    expect((await on('POST /campaigns/{id}/cancel', c.id, { headers: { 'if-match': '"2"' } })).json.status).toBe('cancelled');
  });

  it('preview (200), test (202), report and recipients', async () => {
    const { json: c } = await created();
    const preview = await on('POST /campaigns/{id}/preview', c.id, { body: { customerId: 'cust-1' } });
    expect([preview.statusCode, preview.json.subject]).toEqual([200, 'Hi Ada']);
    expect(preview.json.text).toContain('https://api.example.test/unsubscribe?token=');
    const unknown = await on('POST /campaigns/{id}/preview', c.id, { body: { customerId: 'cust-9' } });
    expect([unknown.statusCode, unknown.json.type]).toEqual([422, 'urn:ecrm:problem:unknown-customer']);
    const test = await on('POST /campaigns/{id}/test', c.id, { body: { email: 'staff@company.test' } });
    expect([test.statusCode, test.json.outcome]).toEqual([202, 'sent']);
    repo.suppress('staff@company.test');
    const refused = await on('POST /campaigns/{id}/test', c.id, { body: { email: 'staff@company.test' } });
    expect([refused.statusCode, refused.json.type, refused.json.title]).toEqual([422, 'urn:ecrm:problem:address-suppressed', PROBLEM_TITLES['address-suppressed']]);
    expect(mailer.sent).toHaveLength(1);
    repo.setReport(c.id, { sent: 3, blocked: { suppressed: 1 } });
    expect((await on('GET /campaigns/{id}/report', c.id)).json).toMatchObject({ sent: 3, blocked: { suppressed: 1 }, targeted: 0 });
    repo.addRecipient(c.id, { customerId: 'cust-1', outcome: 'held', reason: 'open_case', at: '2026-03-01T10:00:00.000Z' });
    expect((await on('GET /campaigns/{id}/recipients', c.id, { query: { outcome: 'held' } })).json.items).toEqual([{ customerId: 'cust-1', outcome: 'held', reason: 'open_case', at: '2026-03-01T10:00:00.000Z' }]);
    expect((await on('GET /campaigns/{id}/recipients', c.id, { query: { outcome: 'sent' } })).json.items).toEqual([]);
  });

  it('an unknown segment is a 422 unknown-segment', async () => {
    const res = await call({ routeKey: 'POST /campaigns', body: { ...BODY, audience: { segmentId: 'other' } }, claims: MARKETER });
    expect([res.statusCode, res.json.type, res.json.title]).toEqual([422, 'urn:ecrm:problem:unknown-segment', PROBLEM_TITLES['unknown-segment']]);
  });
});
