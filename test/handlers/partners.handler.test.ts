import { beforeEach, describe, expect, it } from 'vitest';
import type { Lead } from '../../domain/sales/lead.schema.ts';
import type { LeadUseCases } from '../../domain/sales/lead.use-cases.ts';
import type { SalesViewer } from '../../domain/sales/partner-scope.ts';
import { listingPartner } from '../../domain/sales/partner.ts';
import { type LeadPorts, leadHandlers } from '../../functions/sales/lead.part.ts';
import { type PartnerPorts, partnerGated } from '../../functions/sales/partner.part.ts';
import { httpApp } from '../../functions/shared/http-app.ts';
import { LEAD_ROUTES } from '../../infra/routes.ts';
import { type ApiRequest, apiEvent, claimsFor, lambdaContext } from '../support/api-gateway.ts';
import type { LeadConversionUseCases } from '#domain/sales/lead-conversion.use-cases.ts';

// The partner gate in front of the sales handlers, driven with API Gateway events over fakes: a
// partner user's account must be a partner now (one read per partner request, none for staff or
// the public form), its viewer reaches the use cases, and a partner's refusals are 403 problems.

const lead = { id: 'lead-1', email: 'ada@example.com', partnerAccountId: 'partner-a', version: 1 } as Lead;
let viewers: SalesViewer[];
let asked: string[];
let partners: Set<string>;
let handler: ReturnType<typeof httpApp<LeadPorts & PartnerPorts>>;

beforeEach(() => {
  viewers = [];
  asked = [];
  partners = new Set(['partner-a']);
  const leads = {
    list: async (query: { partner?: string }, viewer: SalesViewer) => {
      viewers.push(viewer);
      listingPartner(viewer, query.partner);
      return { items: [], nextCursor: null };
    },
    get: async (_id: string, viewer: SalesViewer) => {
      viewers.push(viewer);
      return lead;
    },
    capture: async () => ({ stored: true }),
  } as unknown as LeadUseCases;
  const partnerAccounts = {
    isPartner: async (id: string) => {
      asked.push(id);
      return partners.has(id);
    },
  };
  handler = httpApp(LEAD_ROUTES, partnerGated<LeadPorts & PartnerPorts>(leadHandlers), { leads, conversions: {} as LeadConversionUseCases, captureLimit: { take: async () => ({ allowed: true }) }, partnerAccounts });
});

const call = async (request: ApiRequest) => (await handler(apiEvent(request), lambdaContext))!;
const partnerA = claimsFor(['partner'], { accountId: 'partner-a' });

describe('the partner gate', () => {
  it("lets a partner of a partner account through, bound to it, after one read of the account", async () => {
    const res = await call({ routeKey: 'GET /leads/{id}', pathParameters: { id: 'lead-1' }, claims: partnerA });
    expect(res.statusCode).toBe(200);
    expect(viewers).toEqual([{ kind: 'partner', accountId: 'partner-a' }]);
    expect(asked).toEqual(['partner-a']);
  });

  it('refuses a partner whose account is no partner (any more) with 403, before any use case runs', async () => {
    partners.delete('partner-a');
    const res = await call({ routeKey: 'GET /leads', claims: partnerA });
    expect(res.statusCode).toBe(403);
    expect(JSON.parse(String(res.body)).type).toBe('urn:ecrm:problem:forbidden');
    expect(viewers).toEqual([]);
  });

  it('refuses a partner token without custom:accountId (403) without reading anything', async () => {
    const res = await call({ routeKey: 'GET /leads', claims: claimsFor(['partner']) });
    expect(res.statusCode).toBe(403);
    expect(asked).toEqual([]);
    expect(viewers).toEqual([]);
  });

  it('costs staff and the public form no read; staff keep the staff view', async () => {
    expect((await call({ routeKey: 'GET /leads', claims: claimsFor(['agent']) })).statusCode).toBe(200);
    expect((await call({ routeKey: 'GET /leads', claims: claimsFor(['partner', 'manager'], { accountId: 'partner-a' }) })).statusCode).toBe(200);
    expect((await call({ routeKey: 'POST /leads/capture', body: { email: 'a@example.com', source: 'web' } })).statusCode).toBe(202);
    expect(viewers).toEqual([{ kind: 'staff' }, { kind: 'staff' }]);
    expect(asked).toEqual([]);
  });

  it("answers a partner's refused listing (another partner's) and a route not opened to partners with 403", async () => {
    const other = await call({ routeKey: 'GET /leads', query: { partner: 'partner-b' }, claims: partnerA });
    expect(other.statusCode).toBe(403);
    expect(JSON.parse(String(other.body))).toMatchObject({ type: 'urn:ecrm:problem:forbidden', status: 403 });
    const erase = await call({ routeKey: 'DELETE /leads/{id}', pathParameters: { id: 'lead-1' }, headers: { 'if-match': '"1"' }, claims: partnerA });
    expect(erase.statusCode).toBe(403);
  });
});
