import { randomUUID } from 'node:crypto';
import { addUnits, costOf, DEFAULT_PRICES, NO_UNITS } from '#domain/operations/usage.ts';
import type { UsageReport, UsageUnits } from '#domain/operations/usage.schema.ts';
import { signDevToken } from '#infra/local/dev-jwt.ts';
import { startDynamoDbLocal } from '#infra/local/dynamodb-local.ts';
import { startLocalRuntime } from '#infra/local/runtime.ts';
import { seed } from './campaigns.ts';
import type { Section } from './context.ts';
import { type Figure, heading, table } from './report.ts';
import { localApi } from './local-api.ts';

// Issue 14 "cost model": a fixed workload through the local runtime, priced from what GET /usage
// reports (the units the handlers measured against DynamoDB Local), never from estimates.

export interface UsageCostOptions {
  /** API calls of the 70/30 mix (scaled to a million). */
  readonly apiCalls: number;
  /** Recipients of the campaign (the cost is per recipient). */
  readonly recipients: number;
  /** Hours of virtual clock without traffic (scaled to a 30-day month). */
  readonly idleHours: number;
}

const SECTION = 'cost model';
const usd = (value: number) => `$${value < 0.01 ? value.toPrecision(2) : value.toFixed(2)}`;
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const scale = (u: UsageUnits, factor: number): UsageUnits => Object.fromEntries(Object.entries(u).map(([k, v]) => [k, v * factor])) as unknown as UsageUnits;

export function usageCostSection(options: UsageCostOptions): Section {
  return async () => {
    heading('Cost model from measured units (GET /usage on the local runtime, us-east-1 list prices)');
    const dynamo = await startDynamoDbLocal({ port: 0 });
    const runtime = await startLocalRuntime({ port: 0, sesPort: 0, dynamodbPort: 0, dynamodbEndpoint: dynamo.endpoint, tableName: `bench-usage-${randomUUID()}` });
    try {
      const token = await signDevToken({ role: 'admin' });
      const call = localApi(runtime.url, token);
      /** Everything measured so far, by GET /usage. */
      const measured = async (): Promise<UsageUnits> => ((await call('GET', `/usage?from=${day(-1)}&to=${day(1)}`)) as UsageReport).total.units;
      const minus = (a: UsageUnits, b: UsageUnits): UsageUnits => Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v - b[k as keyof UsageUnits]])) as unknown as UsageUnits;
      // Each GET /usage is metered too, after it answers: the difference of two reads in a row is
      // one read's own units, taken off each workload's difference (whose first read lands in it).
      await runtime.idle();
      const first = await measured();
      const ownRead = minus(await measured(), first);
      const during = async (run: () => Promise<void>): Promise<UsageUnits> => {
        await runtime.idle();
        const before = await measured();
        await run();
        await runtime.idle();
        // A read's GB-seconds vary a little from one read to the next: never below nothing.
        const units = minus(minus(await measured(), before), ownRead);
        return Object.fromEntries(Object.entries(units).map(([k, v]) => [k, Math.max(0, v)])) as unknown as UsageUnits;
      };
      const advance = async (seconds: number) => {
        const response = await fetch(`${runtime.url}/_local/clock/advance`, { method: 'POST', body: JSON.stringify({ seconds }) });
        if (response.status !== 200) throw new Error(`clock advance: ${response.status}`);
      };

      // Set-up (not counted): customers and open cases the reads and replies use.
      const customers: string[] = [];
      for (let i = 0; i < 10; i++) customers.push(String((await call('POST', '/customers', { email: `usage-${i}-${randomUUID().slice(0, 8)}@example.com`, firstName: 'Bench' })).id));
      const cases: string[] = [];
      for (const customerId of customers) cases.push(String((await call('POST', '/cases', { customerId, subject: 'Parcel arrived damaged', channel: 'email' })).id));

      // 1. A million API calls, 70/30: reads GET /customers/{id} and GET /cases/{id} (35 % each),
      // writes POST /cases and POST /cases/{id}/comments (15 % each), with what they set off.
      const n = options.apiCalls;
      const api = await during(async () => {
        for (let i = 0; i < n; i++) {
          const slot = i % 20;
          const k = i % customers.length;
          if (slot < 7) await call('GET', `/customers/${customers[k]}`);
          else if (slot < 14) await call('GET', `/cases/${cases[k]}`);
          else if (slot < 17) await call('POST', '/cases', { customerId: customers[k], subject: `Question ${i}`, channel: 'web' });
          else await call('POST', `/cases/${cases[k]}/comments`, { body: `Reply ${i}: a replacement is on its way.`, visibility: 'public' });
        }
      });
      const perMillion = scale(api, 1e6 / n);

      // 2. One SLA escalation: the case opened, the sweeps until its first response is overdue, the
      // escalation consumer moving it up a queue, the managers' notice.
      await call('PUT', '/sla-policy', {
        timezone: 'UTC',
        businessHours: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']], sat: [], sun: [] },
        targets: Object.fromEntries(['urgent', 'high', 'normal', 'low'].map((p) => [p, { firstResponseMinutes: 5, resolutionMinutes: 30, calendar: '24x7' }])),
      });
      await call('PUT', '/queues/usage-tier2', { members: [], managers: ['tier2-lead@example.com'] });
      await call('PUT', '/queues/usage-tier1', { members: [], managers: ['tier1-lead@example.com'], escalateTo: 'usage-tier2' });
      let escalatedTo = '';
      const escalation = await during(async () => {
        const opened = await call('POST', '/cases', { customerId: customers[0], subject: 'Still waiting for an answer', channel: 'email', queue: 'usage-tier1' });
        await runtime.idle();
        await advance(6 * 60);
        escalatedTo = String((await call('GET', `/cases/${opened.id}`)).queue);
      });

      // 3. One campaign recipient: the send path of a campaign to subscribed customers, per recipient.
      await call('PUT', '/topics', [{ id: 'news', name: 'News', purpose: 'marketing' }]);
      await seed(runtime.client, runtime.tableName, options.recipients);
      const segment = await call('POST', '/segments', { name: 'Subscribed to news', rule: { field: 'consent.news', op: 'eq', value: 'subscribed' } });
      let sent = 0;
      const campaign = await during(async () => {
        const created = await call('POST', '/campaigns', {
          name: 'Usage bench',
          topic: 'news',
          template: { subject: 'Hello {{firstName|there}}', text: 'News for {{attributes.tier}} members.' },
          audience: { segmentId: segment.id },
          schedule: { at: new Date(runtime.clock.now().getTime() + 120_000).toISOString() },
        });
        await call('POST', `/campaigns/${created.id}/schedule`, {});
        await advance(180);
        for (let tries = 0; tries < 600; tries++) {
          const state = await call('GET', `/campaigns/${created.id}`);
          if (state.status === 'completed') break;
          await runtime.idle();
          await new Promise((r) => setTimeout(r, 100));
        }
        sent = Number((await call('GET', `/campaigns/${created.id}/report`)).sent);
      });
      const perRecipient = scale(campaign, 1 / Math.max(1, sent));

      // 4. An idle month: no traffic, only the schedules (the SLA sweep every minute, the outbox
      // sweep every 15), over idleHours of virtual clock, scaled to 30 days.
      const idle = await during(() => advance(options.idleHours * 3600));
      const perMonth = scale(idle, (30 * 24) / options.idleHours);

      const rows: [string, UsageUnits, string][] = [
        ['1 million API calls (70/30)', perMillion, `${n} calls measured`],
        ['one SLA escalation', escalation, `escalated to ${escalatedTo}`],
        ['one campaign recipient', perRecipient, `${sent} of ${options.recipients} sent`],
        ['idle month (schedules only)', perMonth, `${options.idleHours} h measured`],
      ];
      const f = (v: number) => (v >= 100 ? v.toFixed(0) : v.toPrecision(3));
      table([
        ['workload', 'reads', 'writes', 'events', 'emails', 'invocations', 'API', 'GB-s', 'DynamoDB', 'Lambda', 'API GW', 'EventBridge', 'SES', 'total', 'note'],
        ...rows.map(([name, u, note]) => {
          const c = costOf(u, DEFAULT_PRICES);
          return [name, f(u.readUnits), f(u.writeUnits), f(u.eventsPut), f(u.emailsSent), f(u.invocations), f(u.apiRequests), f(u.gbSeconds), usd(c.dynamoDb), usd(c.lambda), usd(c.apiGateway), usd(c.eventBridge), usd(c.ses), usd(c.total), note];
        }),
      ]);
      console.log(`  prices: ${DEFAULT_PRICES.region} list prices stated for ${DEFAULT_PRICES.asOf}, no free tier; GB-s at each function's configured memory.`);
      return rows.map(([name, u]) => ({ section: SECTION, figure: name, value: usd(costOf(u, DEFAULT_PRICES).total) }) satisfies Figure);
    } finally {
      await runtime.stop();
      await dynamo.stop();
    }
  };
}
