import { beforeEach, describe, expect, it } from 'vitest';
import type { LeadUseCases } from '../../domain/sales/lead.use-cases.ts';
import type { LeadConversionInput, LeadConversionResult } from '../../domain/sales/lead-conversion.schema.ts';
import type { LeadConversionUseCases } from '../../domain/sales/lead-conversion.use-cases.ts';
import type { SalesViewer } from '../../domain/sales/partner-scope.ts';
import type { Actor, CommandContext } from '../../domain/shared/ports.ts';
import { type LeadPorts, leadHandlers } from '../../functions/sales/lead.part.ts';
import { httpApp } from '../../functions/shared/http-app.ts';
import { LEAD_ROUTES } from '../../infra/routes.ts';
import { type ApiRequest, apiEvent, claimsFor, lambdaContext } from '../support/api-gateway.ts';

// POST /leads/{id}/convert on the sales Lambda's lead routes, over a recording fake of the
// conversion use case: body validation, If-Match, Idempotency-Key, who may call, how the viewer
// and the caller reach the use case.

interface Call {
  id: string;
  input: LeadConversionInput;
  viewer: SalesViewer;
  actor: Actor;
  ifMatch: number | undefined;
  context: CommandContext;
}
let calls: Call[];
let handler: ReturnType<typeof httpApp<LeadPorts>>;

const answer = { lead: { id: 'lead-1' }, customer: { id: 'c', created: true }, account: { id: 'a', created: false }, opportunity: null } as unknown as LeadConversionResult;

beforeEach(() => {
  calls = [];
  const conversions = {
    convert: async (id: string, input: LeadConversionInput, viewer: SalesViewer, actor: Actor, ifMatch: number | undefined, context: CommandContext) => {
      calls.push({ id, input, viewer, actor, ifMatch, context });
      return answer;
    },
  } as LeadConversionUseCases;
  handler = httpApp(LEAD_ROUTES, leadHandlers, { leads: {} as LeadUseCases, conversions, captureLimit: { take: async () => ({ allowed: true }) } });
});

const call = async (request: Omit<ApiRequest, 'routeKey'>) => (await handler(apiEvent({ routeKey: 'POST /leads/{id}/convert', pathParameters: { id: 'lead-1' }, ...request }), lambdaContext))!;
const agent = claimsFor(['agent'], { sub: 'agent-7' });

describe('POST /leads/{id}/convert', () => {
  it('answers 200 with the conversion, passing the body, the staff viewer and the caller', async () => {
    const body = { accountName: 'Analytical Ltd', opportunity: { name: 'Engines', amount: 5000, currency: 'EUR', closeDate: '2025-06-30' } };
    const res = await call({ claims: agent, body });
    expect(res.statusCode).toBe(200);
    expect(JSON.parse(String(res.body))).toEqual(answer);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ id: 'lead-1', input: body, viewer: { kind: 'staff' }, actor: { id: 'agent-7' }, ifMatch: undefined });
  });

  it('takes an empty body (an account after the company, no opportunity) and reads If-Match', async () => {
    expect((await call({ claims: agent, body: {}, headers: { 'if-match': '"3"' } })).statusCode).toBe(200);
    expect(calls[0]).toMatchObject({ input: {}, ifMatch: 3 });
  });

  it('scopes an Idempotency-Key to the lead path', async () => {
    await call({ claims: agent, body: {}, headers: { 'idempotency-key': 'k-1' } });
    expect(calls[0]!.context.idempotency).toMatchObject({ key: 'k-1', scope: 'agent-7|POST /leads/{id}/convert' });
  });

  it('refuses bad bodies with 400 and never calls the use case: unknown fields, a bad opportunity, a closed stage, accountId in the opportunity', async () => {
    const bad = [
      { account: 'x' },
      { opportunity: { name: 'Engines' } },
      { opportunity: { name: 'E', amount: -1, currency: 'EUR', closeDate: '2025-06-30' } },
      { opportunity: { name: 'E', amount: 1, currency: 'EUR', closeDate: '2025-06-30', stage: 'won' } },
      { opportunity: { name: 'E', amount: 1, currency: 'EUR', closeDate: '2025-06-30', accountId: 'a' } },
      { accountName: '' },
    ];
    for (const body of bad) expect((await call({ claims: agent, body })).statusCode, JSON.stringify(body)).toBe(400);
    expect(calls).toEqual([]);
  });

  it("binds a partner user to its token's account", async () => {
    expect((await call({ claims: claimsFor(['partner'], { sub: 'p-user', accountId: 'partner-1' }), body: {} })).statusCode).toBe(200);
    expect(calls[0]).toMatchObject({ viewer: { kind: 'partner', accountId: 'partner-1' }, actor: { id: 'p-user' } });
  });

  it('refuses customers and partner tokens without an account (403), and callers without a token (401)', async () => {
    expect((await call({ claims: claimsFor(['customer'], { customerId: 'c-1' }), body: {} })).statusCode).toBe(403);
    expect((await call({ claims: claimsFor(['partner']), body: {} })).statusCode).toBe(403);
    expect((await call({ body: {} })).statusCode).toBe(401);
    expect(calls).toEqual([]);
  });
});
