import { beforeEach, describe, expect, it } from 'vitest';
import type { Lead, LeadCaptureInput } from '../../domain/sales/lead.schema.ts';
import type { LeadUseCases } from '../../domain/sales/lead.use-cases.ts';
import type { LeadConversionUseCases } from '../../domain/sales/lead-conversion.use-cases.ts';
import { type LeadPorts, leadHandlers } from '../../functions/sales/lead.part.ts';
import { httpApp } from '../../functions/shared/http-app.ts';
import { LEAD_ROUTES } from '../../infra/routes.ts';
import { type ApiRequest, apiEvent, claimsFor, lambdaContext } from '../support/api-gateway.ts';

// The lead routes of the sales Lambda, driven with API Gateway events over a recording fake of
// the use cases: the capture form's two body types, the honeypot's answer, the rate limit, roles.

let captured: LeadCaptureInput[];
let allowance: number;
let handler: ReturnType<typeof httpApp<LeadPorts>>;

const lead = { id: 'lead-1', email: 'ada@example.com', version: 3 } as Lead;

beforeEach(() => {
  captured = [];
  allowance = 2;
  const leads = {
    capture: async (input: LeadCaptureInput) => {
      captured.push(input);
      return { stored: (input.website ?? '') === '' };
    },
    get: async () => lead,
    create: async () => lead,
  } as unknown as LeadUseCases;
  const conversions = {} as LeadConversionUseCases; // the conversion's route has its own test (lead-conversion.handler.test.ts)
  handler = httpApp(LEAD_ROUTES, leadHandlers, { leads, conversions, captureLimit: { take: async () => (allowance-- > 0 ? { allowed: true } : { allowed: false, retryAfterSeconds: 17 }) } });
});

const call = async (request: ApiRequest) => (await handler(apiEvent(request), lambdaContext))!;
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('POST /leads/capture', () => {
  it('takes JSON', async () => {
    const res = await call({ routeKey: 'POST /leads/capture', body: { email: 'Ada@Example.com', source: 'web', consents: ['news'] } });
    expect(res.statusCode).toBe(202);
    expect(JSON.parse(String(res.body))).toEqual({ received: true });
    expect(captured).toEqual([{ email: 'ada@example.com', source: 'web', consents: ['news'] }]);
  });

  it('takes a plain HTML form: repeated consents, empty fields absent', async () => {
    const body = 'email=ada%40example.com&firstName=&company=Analytical&source=web&consents=news&consents%5B%5D=offers&website=';
    expect((await call({ routeKey: 'POST /leads/capture', headers: FORM, body })).statusCode).toBe(202);
    expect(captured).toEqual([{ email: 'ada@example.com', company: 'Analytical', source: 'web', consents: ['news', 'offers'] }]);
  });

  it('answers a filled honeypot exactly like a success', async () => {
    const person = await call({ routeKey: 'POST /leads/capture', headers: FORM, body: 'email=a%40example.com&source=web' });
    const bot = await call({ routeKey: 'POST /leads/capture', headers: FORM, body: 'email=b%40example.com&source=web&website=http%3A%2F%2Fspam' });
    expect(bot.statusCode).toBe(person.statusCode);
    expect(bot.body).toBe(person.body);
  });

  it('refuses bad input (400/415) before it counts against the limit, then 429 with Retry-After', async () => {
    expect((await call({ routeKey: 'POST /leads/capture', headers: FORM, body: 'email=not-mail&source=web' })).statusCode).toBe(400);
    expect((await call({ routeKey: 'POST /leads/capture', headers: FORM, body: 'source=web&unknown=1&email=a%40example.com' })).statusCode).toBe(400);
    expect((await call({ routeKey: 'POST /leads/capture', headers: { 'content-type': 'text/plain' }, body: 'hello' })).statusCode).toBe(415);
    expect(allowance).toBe(2);
    await call({ routeKey: 'POST /leads/capture', body: { email: 'a@example.com', source: 'web' } });
    await call({ routeKey: 'POST /leads/capture', body: { email: 'a@example.com', source: 'web' } });
    const limited = await call({ routeKey: 'POST /leads/capture', body: { email: 'a@example.com', source: 'web' } });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers?.['retry-after']).toBe('17');
    expect(captured).toHaveLength(2);
  });
});

describe('staff routes', () => {
  it('answer a lead with its ETag and Location, and refuse a customer token', async () => {
    const created = await call({ routeKey: 'POST /leads', claims: claimsFor(['marketer']), body: { email: 'ada@example.com', source: 'web' } });
    expect(created.statusCode).toBe(201);
    expect(created.headers).toMatchObject({ etag: '"3"', location: '/leads/lead-1' });
    expect((await call({ routeKey: 'GET /leads/{id}', pathParameters: { id: 'lead-1' }, claims: claimsFor(['customer']) })).statusCode).toBe(403);
    expect((await call({ routeKey: 'POST /leads', claims: claimsFor(['agent']), body: { email: 'ada@example.com', source: 'web', status: 'qualified' } })).statusCode).toBe(400);
  });
});
