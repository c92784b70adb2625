import type { EventBridgeEvent, ScheduledEvent } from 'aws-lambda';
import type { CaseNotice } from '#domain/cases/case-notifications.ts';
import type { caseNotifications } from '#domain/cases/case-notifications.ts';
import type { CaseUseCases } from '#domain/cases/case.use-cases.ts';
import type { CaseRepository } from '#domain/cases/case.repository.ts';
import { CaseEscalated } from '#events/case-escalated.event.ts';
import { CaseOpened } from '#events/case-opened.event.ts';
import { CasePriorityChanged } from '#events/case-priority-changed.event.ts';
import { CaseSlaBreached } from '#events/case-sla-breached.event.ts';
import { CaseSlaWarning } from '#events/case-sla-warning.event.ts';
import { CustomerErased, erasedIds } from '#events/customer-erased.event.ts';
import { CustomersMerged } from '#events/customers-merged.event.ts';
import { log } from '../shared/log.ts';
import { slaEscalationMetric, slaSweepMetrics } from '../shared/crm-metrics.ts';
import { currentCorrelationId } from '../shared/log.ts';

// Thin consumers: parse the event with its catalog module, call one use case. A thrown error
// makes EventBridge retry (and, at the end, park the event in the target's dead-letter queue).

type AnyEvent = EventBridgeEvent<string, unknown>;

/** Schedule `sla-sweep` (every minute): record SLA warnings and breaches that became due. */
export function slaSweepHandler(cases: CaseUseCases) {
  return async (event: ScheduledEvent | AnyEvent) => {
    const result = await cases.sweepSla({ correlationId: currentCorrelationId() ?? event.id ?? 'schedule' });
    slaSweepMetrics(result);
    if (result.warnings || result.breaches) log('info', 'sla sweep', { ...result });
    return result;
  };
}

/** Rule on CaseSlaBreached: escalate once per breach. */
export function escalationHandler(cases: CaseUseCases) {
  return async (event: AnyEvent) => {
    const { data, metadata } = CaseSlaBreached.detail.parse(event.detail);
    const escalated = await cases.escalate({ caseId: data.caseId, milestone: data.milestone, dueAt: data.dueAt }, { correlationId: metadata.correlationId });
    if (escalated) slaEscalationMetric();
    return { outcome: escalated ? 'escalated' : 'already-escalated' };
  };
}

/** Rules on CaseEscalated, CaseSlaWarning and urgent CaseOpened / CasePriorityChanged. */
export function notificationHandler(notifications: ReturnType<typeof caseNotifications>) {
  return async (event: AnyEvent) => {
    const notice = toNotice(event);
    if (!notice) return;
    const id = (event.detail as { metadata?: { eventId?: string } }).metadata?.eventId ?? event.id;
    await notifications.notify(id, notice);
  };
}

function toNotice(event: AnyEvent): CaseNotice | undefined {
  switch (event['detail-type']) {
    case CaseEscalated.detailType: {
      const { data } = CaseEscalated.detail.parse(event.detail);
      return { type: 'escalated', caseId: data.caseId, level: data.level, minutesLate: data.minutesLate, milestone: data.milestone, dueAt: data.dueAt, fromQueue: data.fromQueue };
    }
    case CaseSlaWarning.detailType: {
      const { data } = CaseSlaWarning.detail.parse(event.detail);
      return { type: 'warning', caseId: data.caseId, milestone: data.milestone, dueAt: data.dueAt };
    }
    case CaseOpened.detailType: {
      const { data } = CaseOpened.detail.parse(event.detail);
      return data.priority === 'urgent' ? { type: 'urgent', caseId: data.caseId } : undefined;
    }
    case CasePriorityChanged.detailType: {
      const { data } = CasePriorityChanged.detail.parse(event.detail);
      return data.priority === 'urgent' ? { type: 'urgent', caseId: data.caseId } : undefined;
    }
    default:
      throw new Error(`Unexpected event ${event['detail-type']}`);
  }
}

/** Rule on CustomerErased: the cases of every id the person had keep their numbers and timings, not their text. */
export function caseErasureHandler(cases: CaseRepository) {
  return async (event: AnyEvent) => {
    const { data, metadata } = CustomerErased.detail.parse(event.detail);
    for (const id of erasedIds(data)) await cases.scrubCustomer(id, { correlationId: metadata.correlationId }, data.caseIds ?? []);
  };
}

/** Rule on CustomersMerged: the cases of the merged-away customer follow it to the target. */
export function caseMergeHandler(cases: CaseUseCases) {
  return async (event: AnyEvent) => {
    const { data, metadata } = CustomersMerged.detail.parse(event.detail);
    await cases.followMerge(data.sourceId, data.targetId, { correlationId: metadata.correlationId });
  };
}
