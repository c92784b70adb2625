import { performance } from 'node:perf_hooks';
import type { ScheduledEvent } from 'aws-lambda';
import { caseNotifications } from '#domain/cases/case-notifications.ts';
import { SlaPolicyInput } from '#domain/cases/sla-policy.ts';
import type { EmailMessage, EmailSender } from '#domain/shared/email.ts';
import { CaseEscalated } from '#events/case-escalated.event.ts';
import { CaseSlaBreached } from '#events/case-sla-breached.event.ts';
import { escalationHandler, notificationHandler, slaSweepHandler } from '#functions/cases/case-events.handlers.ts';
import { caseRepository, caseUseCasesFor } from '#functions/cases/cases.composition.ts';
import { dynamoCustomerDirectory } from '#functions/cases/customer-directory.ts';
import { dynamoOnceGuard } from '#functions/shared/once-guard.ts';
import { VirtualClock } from '#infra/local/scheduler.ts';
import { apiEvent, expectStatus } from './api-event.ts';
import { busEvent, type Case, caseInfra, casesInvoke, type ProbedRequest, putQueue, requestProbe, routedInvoke, sequences, tally } from './cases.ts';
import type { Section } from './context.ts';
import { createCustomers } from './interactions.ts';
import { type Figure, heading, ms, table } from './report.ts';

export interface EscalationOptions {
  /** Cases opened with the short SLA; all breach their first response in one sweep. */
  readonly cases: number;
  /** First-response target of every priority (24x7), in minutes. */
  readonly firstResponseMinutes: number;
}

const TIER_1 = 'bench-sla-tier1';
const TIER_2 = 'bench-sla-tier2';
const MANAGERS = { [TIER_1]: ['tier1-lead@example.com'], [TIER_2]: ['tier2-lead@example.com'] };

const scheduled = (time: Date): ScheduledEvent => ({
  version: '0',
  id: `bench-sweep-${time.getTime()}`,
  'detail-type': 'Scheduled Event',
  source: 'aws.scheduler',
  account: '000000000000',
  time: time.toISOString(),
  region: 'us-east-1',
  resources: [],
  detail: {},
});

/**
 * Issue 4 "Figures": the cost of the escalation path, per breach. The section puts a new current
 * SLA policy (short 24x7 targets), so it runs after every other section that opens cases.
 */
export function caseEscalationSection(options: EscalationOptions = { cases: 20, firstResponseMinutes: 5 }): Section {
  const { cases: n, firstResponseMinutes } = options;
  return async (context) => {
    heading(`Escalation path: ${n} first-response breaches, sweep -> escalation -> notification (DynamoDB requests per breach)`);
    const { requests } = await context.table();
    // Real time plus an offset the section moves forward (the local runtime's clock).
    const clock = new VirtualClock();
    const infra = await caseInfra(context, clock);
    const api = routedInvoke(await context.customers(), casesInvoke(infra));

    // Set-up (not counted): a policy with short 24x7 targets, two queues, n open cases.
    const policy = await caseUseCasesFor(infra).putPolicy(
      SlaPolicyInput.parse({
        timezone: 'UTC',
        businessHours: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']], sat: [], sun: [] },
        targets: Object.fromEntries(
          (['urgent', 'high', 'normal', 'low'] as const).map((p) => [p, { firstResponseMinutes, resolutionMinutes: firstResponseMinutes * 6, calendar: '24x7' }]),
        ),
      }),
    );
    await putQueue(api, TIER_2, { members: [], managers: MANAGERS[TIER_2] });
    await putQueue(api, TIER_1, { members: [], managers: MANAGERS[TIER_1], escalateTo: TIER_2 });
    const customerIds = await createCustomers(api, n);
    const opened: Case[] = [];
    for (const customerId of customerIds) {
      const request = { route: 'POST /cases', body: { customerId, subject: `Bench SLA case for ${customerId}`, channel: 'email', queue: TIER_1 } };
      const c = expectStatus(await api(apiEvent(request)), 201, 'set-up POST /cases') as Case;
      if (c.sla.policyVersion !== policy.version) throw new Error(`case opened under policy ${c.sla.policyVersion}, not the bench policy ${policy.version}`);
      opened.push(c);
    }
    const firstDue = Math.min(...opened.map((c) => Date.parse(c.sla.firstResponseDueAt)));
    const lastDue = Math.max(...opened.map((c) => Date.parse(c.sla.firstResponseDueAt)));
    console.log(
      `  policy v${policy.version}: every priority ${firstResponseMinutes} min first response / ${firstResponseMinutes * 6} min resolution, 24x7, warn at ${policy.warnAtPercent}%;` +
        ` ${n} normal cases in ${TIER_1} (escalates to ${TIER_2})`,
    );

    // Each consumer gets its own composition, like its own Lambda: caches start cold.
    const sweep = slaSweepHandler(caseUseCasesFor(infra));
    const escalate = escalationHandler(caseUseCasesFor(infra));
    const mail: EmailMessage[] = [];
    const mailer: EmailSender = {
      async send(message) {
        mail.push(message);
        return { messageId: `bench-${mail.length}` };
      },
    };
    const notify = notificationHandler(
      caseNotifications({
        cases: caseRepository(infra),
        customers: dynamoCustomerDirectory(infra.client, infra.tableName),
        mailer,
        once: dynamoOnceGuard(infra.client, infra.tableName, clock),
      }),
    );
    const reader = caseUseCasesFor(infra);

    const probe = requestProbe(infra.client);
    const counted = async <T>(run: () => Promise<T>): Promise<{ sent: string[]; result: T; elapsed: number; probed: ProbedRequest[] }> => {
      requests.take();
      probe.take();
      const t0 = performance.now();
      const result = await run();
      const elapsed = performance.now() - t0;
      return { sent: requests.take(), result, elapsed, probed: probe.take() };
    };
    const problems: string[] = [];

    // 1. Sweep with nothing due (the every-minute cost), before and after the breaches.
    const idle = await counted(() => sweep(scheduled(clock.now())));
    if (idle.result.checked !== 0) problems.push(`idle sweep checked ${idle.result.checked} cases (expected 0)`);

    // 2. Past the due time: one sweep records every breach.
    clock.advance(Math.ceil((lastDue - clock.now().getTime()) / 1000) + 60);
    const due = await counted(() => sweep(scheduled(clock.now())));
    if (due.result.breaches !== n || due.result.checked !== n) problems.push(`sweep: ${JSON.stringify(due.result)} (expected ${n} checked, ${n} breaches)`);
    const idleAfter = await counted(() => sweep(scheduled(clock.now())));
    if (idleAfter.result.checked !== 0) problems.push(`sweep right after the breaches checked ${idleAfter.result.checked} cases (expected 0)`);

    // 3. The escalation consumer, one CaseSlaBreached delivery per breach.
    clock.advance(30);
    const breaches = opened.map((c) =>
      busEvent(CaseSlaBreached.of({ caseId: c.id, milestone: 'firstResponse', dueAt: c.sla.firstResponseDueAt, level: 1 }), clock.now()),
    );
    const escalations: Awaited<ReturnType<typeof counted>>[] = [];
    for (const event of breaches) escalations.push(await counted(() => escalate(event)));
    const duplicateBreach = await counted(() => escalate(breaches[0]!));

    requests.take();
    const escalated = await Promise.all(opened.map((c) => reader.get(c.id)));
    for (const c of escalated) {
      const breach = c.sla.breaches.find((b) => b.milestone === 'firstResponse');
      if (c.escalationLevel !== 1 || c.queue !== TIER_2 || c.priority !== 'high' || !breach?.escalated) {
        problems.push(`${c.number} after escalation: level ${c.escalationLevel}, queue ${c.queue}, priority ${c.priority}, escalated ${breach?.escalated}`);
      }
    }

    // 4. The notification consumer, one CaseEscalated delivery per escalation (as the escalation wrote it).
    const notices = escalated.map((c) =>
      busEvent(
        CaseEscalated.of({
          caseId: c.id,
          milestone: 'firstResponse',
          dueAt: c.sla.firstResponseDueAt,
          level: c.escalationLevel,
          fromQueue: TIER_1,
          queue: c.queue,
          priority: c.priority,
          minutesLate: Math.max(0, Math.round((Date.parse(c.updatedAt) - Date.parse(c.sla.firstResponseDueAt)) / 60_000)),
        }),
        clock.now(),
      ),
    );
    const notifications: Awaited<ReturnType<typeof counted>>[] = [];
    for (const event of notices) notifications.push(await counted(() => notify(event)));
    const mailedBefore = mail.length;
    const duplicateNotice = await counted(() => notify(notices[0]!));
    requests.take();
    if (mailedBefore !== n) problems.push(`${mailedBefore} emails for ${n} escalations`);
    if (mail.length !== mailedBefore) problems.push('a duplicate CaseEscalated delivery sent a second email');
    const expectedTo = [...MANAGERS[TIER_2], ...MANAGERS[TIER_1]].sort().join(',');
    const wrongTo = mail.filter((m) => [...m.to].sort().join(',') !== expectedTo);
    if (wrongTo.length) problems.push(`${wrongTo.length} emails not to ${expectedTo} (e.g. ${wrongTo[0]!.to.join(',')})`);

    // Report.
    const sum = (runs: readonly { sent: string[] }[]) => runs.reduce((total, r) => total + r.sent.length, 0);
    const meanMs = (runs: readonly { elapsed: number }[]) => runs.reduce((total, r) => total + r.elapsed, 0) / runs.length;
    /** Items per TransactWriteItems of a hop, e.g. `9` or `7-9`. */
    const transactionItems = (runs: readonly { probed: ProbedRequest[] }[]) => {
      const sizes = runs.flatMap((r) => r.probed.filter((p) => p.name === 'TransactWriteItems').map((p) => p.items ?? 0));
      if (sizes.length === 0) return '-';
      const [min, max] = [Math.min(...sizes), Math.max(...sizes)];
      return min === max ? String(min) : `${min}-${max}`;
    };
    const hops = [
      { hop: 'SLA sweep (one run, all due)', total: due.sent.length, sent: due.sent, detail: tally(due.sent), time: `${ms(due.elapsed)} per run`, items: transactionItems([due]) },
      {
        hop: 'escalation consumer',
        total: sum(escalations),
        sent: escalations.flatMap((e) => e.sent),
        detail: sequences(escalations.map((e) => e.sent)),
        time: `${ms(meanMs(escalations))} per event`,
        items: transactionItems(escalations),
      },
      {
        hop: 'notification consumer',
        total: sum(notifications),
        sent: notifications.flatMap((e) => e.sent),
        detail: sequences(notifications.map((e) => e.sent)),
        time: `${ms(meanMs(notifications))} per event`,
        items: transactionItems(notifications),
      },
    ];
    const total = hops.reduce((t, h) => t + h.total, 0);
    const perBreach = (count: number) => (count / n).toFixed(2);
    table([
      ['hop', 'requests', 'per breach', 'time', 'items per transaction', 'requests sent'],
      ...hops.map((h) => [h.hop, String(h.total), perBreach(h.total), h.time, h.items, h.detail]),
      ['total', String(total), perBreach(total), '', '', tally(hops.flatMap((h) => h.sent))],
    ]);
    console.log('');
    table([
      ['sweep, nothing due (before the breaches)', `${idle.sent.length} (${idle.sent.join(' + ') || 'none'})`, `${ms(idle.elapsed)}`],
      ['sweep, nothing due (right after them)', `${idleAfter.sent.length} (${idleAfter.sent.join(' + ') || 'none'})`, `${ms(idleAfter.elapsed)}`],
      ['duplicate CaseSlaBreached delivery', `${duplicateBreach.sent.length} (${duplicateBreach.sent.join(' + ') || 'none'})`, 'no write expected'],
      ['duplicate CaseEscalated delivery', `${duplicateNotice.sent.length} (${duplicateNotice.sent.join(' + ') || 'none'})`, `no email expected`],
    ]);
    console.log(
      `  due ${new Date(firstDue).toISOString()}..${new Date(lastDue).toISOString()}; sweep ${JSON.stringify(due.result)}; ${mailedBefore} emails (fake sender) to ${expectedTo}`,
    );
    console.log('  every consumer starts cold: its first call also reads the policy version (GetItem) that later calls take from the cache');
    for (const problem of problems) console.log(`  PROBLEM: ${problem}`);

    const figures: Figure[] = [
      { section: 'escalation', figure: 'SLA sweep, nothing due', value: `${idle.sent.length} (${idle.sent.join(' + ') || 'none'})` },
      { section: 'escalation', figure: `SLA sweep, ${n} due: requests per breach`, value: `${perBreach(due.sent.length)} (${due.sent.length} total)` },
      { section: 'escalation', figure: 'escalation consumer: requests per breach', value: `${perBreach(hops[1]!.total)} (${hops[1]!.total} total)` },
      { section: 'escalation', figure: 'notification consumer: requests per escalation', value: `${perBreach(hops[2]!.total)} (${hops[2]!.total} total)` },
      { section: 'escalation', figure: 'escalation path: requests per breach', value: `${perBreach(total)} (${total} for ${n})` },
      { section: 'escalation', figure: 'duplicate breach / notice delivery', value: `${duplicateBreach.sent.length} / ${duplicateNotice.sent.length} requests` },
    ];
    if (problems.length) {
      figures.push({ section: 'escalation', figure: 'path behaved as expected', value: `${problems.length} problem(s)`, error: problems.join('; ') });
    }
    return figures;
  };
}
