import { beforeEach, describe, expect, it } from 'vitest';
import type { PipelineRepository } from '../../domain/sales/pipeline.ports.ts';
import { pipelineUseCases } from '../../domain/sales/pipeline.use-cases.ts';
import { DEFAULT_PIPELINE, type PipelineStages } from '../../domain/sales/pipeline-stages.ts';
import { type PipelinePorts, pipelineHandlers } from '../../functions/sales/pipeline.part.ts';
import { httpApp } from '../../functions/shared/http-app.ts';
import { PIPELINE_ROUTES } from '../../infra/routes.ts';
import { type ApiRequest, apiEvent, claimsFor, lambdaContext } from '../support/api-gateway.ts';

// The pipeline routes of the sales Lambda, driven with API Gateway events over the real use cases
// and an in-memory repository: ETags and If-Match, stage-in-use, the read-only fields a client
// sends back, the report's query string and the roles.

let stored: PipelineStages;
let open: Map<string, number>;
let scopes: string[];
let handler: ReturnType<typeof httpApp<PipelinePorts>>;

beforeEach(() => {
  stored = DEFAULT_PIPELINE;
  open = new Map();
  scopes = [];
  const repository: PipelineRepository = {
    stages: async () => stored,
    openCounts: async () => open,
    saveStages: async (next, previousVersion) => {
      if (previousVersion !== stored.version) return 'version-moved';
      stored = next;
      return 'saved';
    },
    buckets: async (scope) => {
      scopes.push(scope);
      return [{ month: '2027-02', currency: 'EUR', figures: new Map([['count', 2n], ['amount', 15_000n], ['weighted', 0n], ['lost', 2n], ['lostAmount', 15_000n]]) }];
    },
  };
  handler = httpApp(PIPELINE_ROUTES, pipelineHandlers, { pipeline: pipelineUseCases({ pipeline: repository, clock: { now: () => new Date('2027-01-10T00:00:00.000Z') } }) });
});

const call = async (request: ApiRequest) => {
  const res = (await handler(apiEvent({ claims: claimsFor(['manager']), ...request }), lambdaContext))!;
  return { ...res, json: JSON.parse(String(res.body)) };
};
const stages = [{ id: 'demo', label: 'Demo', probability: 30 }];

describe('/pipeline/stages', () => {
  it('GET: the default with ETag "1"; PUT with If-Match saves version 2; the read-only fields of a GET answer are named as such (400)', async () => {
    const initial = await call({ routeKey: 'GET /pipeline/stages', claims: claimsFor(['agent']) });
    expect(initial.statusCode).toBe(200);
    expect(initial.headers?.etag).toBe('"1"');
    const sentBack = await call({ routeKey: 'PUT /pipeline/stages', body: { ...initial.json, stages } });
    expect(sentBack.statusCode).toBe(400);
    expect(sentBack.json.errors).toContainEqual({ path: 'version', message: 'is read-only and cannot be set' });
    const res = await call({ routeKey: 'PUT /pipeline/stages', headers: { 'if-match': '"1"' }, body: { stages } });
    expect(res.statusCode).toBe(200);
    expect(res.headers?.etag).toBe('"2"');
    expect(res.json).toMatchObject({ stages, version: 2, updatedAt: '2027-01-10T00:00:00.000Z' });
  });

  it('a stale If-Match is 412 stale-version; a removed stage with open opportunities is 409 stage-in-use; nothing is saved', async () => {
    const stale = await call({ routeKey: 'PUT /pipeline/stages', headers: { 'if-match': '"4"' }, body: { stages } });
    expect([stale.statusCode, stale.json.type]).toEqual([412, 'urn:ecrm:problem:stale-version']);
    open = new Map([['proposal', 3]]);
    const inUse = await call({ routeKey: 'PUT /pipeline/stages', body: { stages } });
    expect([inUse.statusCode, inUse.json.type]).toEqual([409, 'urn:ecrm:problem:stage-in-use']);
    expect(inUse.json.detail).toContain('proposal (3 open)');
    expect(stored).toBe(DEFAULT_PIPELINE);
  });

  it('only admins and managers configure; a customer or partner reads nothing', async () => {
    expect((await call({ routeKey: 'PUT /pipeline/stages', claims: claimsFor(['agent']), body: { stages } })).statusCode).toBe(403);
    expect((await call({ routeKey: 'PUT /pipeline/stages', claims: claimsFor(['admin']), body: { stages } })).statusCode).toBe(200);
    for (const claims of [claimsFor(['customer'], { customerId: 'c1' }), claimsFor(['partner'], { accountId: 'a1' })]) expect((await call({ routeKey: 'GET /pipeline/stages', claims })).statusCode).toBe(403);
  });
});

describe('GET /reports/pipeline', () => {
  it('reads one scope: all, or the owner named; lost deals give a win rate of 0', async () => {
    const all = await call({ routeKey: 'GET /reports/pipeline', query: { from: '2027-01', to: '2027-03' } });
    expect(all.statusCode).toBe(200);
    expect(all.json).toEqual({
      from: '2027-01',
      to: '2027-03',
      owner: null,
      months: [{ month: '2027-02', currency: 'EUR', count: 2, amount: 1.5, weightedAmount: 0, won: 0, wonAmount: 0, lost: 2, lostAmount: 1.5, winRate: 0, avgDaysPerStage: {} }],
    });
    expect((await call({ routeKey: 'GET /reports/pipeline', query: { owner: 'ana' } })).json).toMatchObject({ from: '2027-01', to: '2027-12', owner: 'ana' });
    expect(scopes).toEqual(['all', 'owner#ana']);
  });

  it('400 for a bad range, before any read; 403 for agents', async () => {
    for (const query of [{ from: '2027-02', to: '2027-01' }, { from: '2027-01', to: '2029-01' }, { from: '2027-00' }, { to: 'soon' }, { owner: '' }] as Record<string, string>[]) {
      expect((await call({ routeKey: 'GET /reports/pipeline', query })).statusCode, JSON.stringify(query)).toBe(400);
    }
    expect(scopes).toEqual([]);
    expect((await call({ routeKey: 'GET /reports/pipeline', claims: claimsFor(['agent']) })).statusCode).toBe(403);
  });
});
