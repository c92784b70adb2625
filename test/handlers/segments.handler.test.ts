import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { segmentUseCases } from '../../domain/campaigns/segment.use-cases.ts';
import { campaignsHandler } from '../../functions/campaigns/campaigns.app.ts';
import { type ApiRequest, claimsFor, invoke } from '../support/api-gateway.ts';
import { fakeClock, sequentialIds } from '../support/fakes.ts';
import { type FakeSegments, fakeScans, fakeSegmentRepository } from '../support/segment-fakes.ts';

const MARKETER = claimsFor(['marketer']);
const AGENT = claimsFor(['agent']);
const RULE = { all: [{ field: 'tags', op: 'contains', value: 'vip' }] };

let repo: FakeSegments;
let scans: ReturnType<typeof fakeScans>;
let handler: ReturnType<typeof campaignsHandler>;
let errorLog: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  const clock = fakeClock('2025-06-30T12:00:00.000Z');
  repo = fakeSegmentRepository();
  scans = fakeScans();
  const segments = segmentUseCases({ segments: repo, scans: scans.scans, audience: scans.audience, clock, ids: sequentialIds('seg') });
  handler = campaignsHandler({ segments, campaigns: undefined as never });
  errorLog = vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => {
  expect(errorLog).not.toHaveBeenCalled();
  errorLog.mockRestore();
});

const call = (request: Omit<ApiRequest, 'claims'> & { claims?: ApiRequest['claims'] }) => invoke(handler, { claims: MARKETER, ...request });
const create = async (body: unknown = { name: 'VIPs', rule: RULE }) => {
  const res = await call({ routeKey: 'POST /segments', body });
  expect(res.statusCode, JSON.stringify(res.json)).toBe(201);
  return res;
};

describe('segment routes', () => {
  it('POST answers 201 with Location and ETag; a rule the catalog refuses is a 400 naming rule.<path> and stores nothing', async () => {
    const res = await create();
    expect(res.headers.location).toBe('/segments/seg-0001');
    expect(res.headers.etag).toBe('"1"');
    expect(res.json).toMatchObject({ id: 'seg-0001', name: 'VIPs', description: null, rule: RULE, version: 1 });

    const bad = await call({ routeKey: 'POST /segments', body: { name: 'x', rule: { any: [{ field: 'tags', op: 'gt', value: 1 }] } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json.errors).toEqual([{ path: 'rule.any.0.op', message: expect.stringContaining('gt does not fit tags') }]);
    const shape = await call({ routeKey: 'POST /segments', body: { name: 'x', rule: { all: [{ field: 'tags', op: 'near' }] } } });
    expect(shape.json.errors.map((e: { path: string }) => e.path)).toEqual(['rule.all.0.op']);
    const readOnly = await call({ routeKey: 'POST /segments', body: { name: 'x', rule: RULE, version: 3 } });
    expect(readOnly.json.errors).toEqual([{ path: 'version', message: 'is read-only and cannot be set' }]);
    expect(repo.segments.size).toBe(1);
  });

  it('PUT honours If-Match: 412 when stale, 200 with the next version otherwise', async () => {
    await create();
    const stale = await call({ routeKey: 'PUT /segments/{id}', pathParameters: { id: 'seg-0001' }, headers: { 'if-match': '"2"' }, body: { name: 'New', rule: RULE } });
    expect(stale.statusCode).toBe(412);
    const ok = await call({ routeKey: 'PUT /segments/{id}', pathParameters: { id: 'seg-0001' }, headers: { 'if-match': '"1"' }, body: { name: 'New', rule: RULE } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers.etag).toBe('"2"');
    expect(repo.segments.get('seg-0001')).toMatchObject({ name: 'New', version: 2 });
  });

  it('DELETE is a 409 naming the campaign while one uses the segment, then 204', async () => {
    await create();
    repo.using.set('seg-0001', ['camp-9']);
    const inUse = await call({ routeKey: 'DELETE /segments/{id}', pathParameters: { id: 'seg-0001' } });
    expect(inUse.statusCode).toBe(409);
    expect(inUse.json.detail).toContain('camp-9');
    repo.using.delete('seg-0001');
    expect((await call({ routeKey: 'DELETE /segments/{id}', pathParameters: { id: 'seg-0001' }, headers: { 'if-match': '"1"' } })).statusCode).toBe(204);
    expect(repo.segments.size).toBe(0);
  });

  it('preview passes the rule and limit (20 by default); an unknown segment is a 404', async () => {
    await create();
    expect((await call({ routeKey: 'GET /segments/{id}/preview', pathParameters: { id: 'seg-0001' } })).json).toEqual({ count: 7, sample: [] });
    await call({ routeKey: 'GET /segments/{id}/preview', pathParameters: { id: 'seg-0001' }, query: { limit: '5' } });
    expect(scans.previews.map((p) => p.limit)).toEqual([20, 5]);
    expect((await call({ routeKey: 'GET /segments/{id}/preview', pathParameters: { id: 'nope' } })).statusCode).toBe(404);
  });

  it('POST /segments/preview counts a rule not saved yet, checked like a saved one (400 naming the condition), and saves nothing', async () => {
    const rule = { all: [{ field: 'tags', op: 'contains', value: 'vip' }] };
    const res = await call({ routeKey: 'POST /segments/preview', body: { rule }, query: { limit: '3' } });
    expect(res.statusCode).toBe(200);
    expect(res.json).toEqual({ count: 7, sample: [] });
    expect(scans.previews).toEqual([expect.objectContaining({ rule, limit: 3 })]);
    const bad = await call({ routeKey: 'POST /segments/preview', body: { rule: { all: [{ field: 'shoeSize', op: 'eq', value: 42 }] } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json.errors).toEqual([expect.objectContaining({ path: 'rule.all.0.field' })]);
    expect(scans.previews).toHaveLength(1);
    expect(repo.segments.size).toBe(0);
  });

  it('POST snapshots: 202 building with Location, and one durable scan started for it; a retry with the key starts the same', async () => {
    await create();
    const headers = { 'idempotency-key': 'k1' };
    const res = await call({ routeKey: 'POST /segments/{id}/snapshots', pathParameters: { id: 'seg-0001' }, headers });
    expect(res.statusCode).toBe(202);
    expect(res.json).toMatchObject({ segmentId: 'seg-0001', status: 'building', count: 0, completedAt: null });
    expect(res.headers.location).toBe(`/segments/seg-0001/snapshots/${res.json.id}`);
    const again = await call({ routeKey: 'POST /segments/{id}/snapshots', pathParameters: { id: 'seg-0001' }, headers });
    expect(again.json).toEqual(res.json);
    expect(scans.started).toEqual([
      { purpose: 'snapshot', segmentId: 'seg-0001', targetId: res.json.id },
      { purpose: 'snapshot', segmentId: 'seg-0001', targetId: res.json.id },
    ]);
    expect(repo.snapshots.size).toBe(1);
  });

  it('an agent gets 403', async () => {
    expect((await call({ routeKey: 'GET /segments', claims: AGENT })).statusCode).toBe(403);
  });
});
