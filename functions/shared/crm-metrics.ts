import { currentCorrelationId } from './log.ts';
import { type MetricValue, recordMetrics } from './metrics.ts';

// The business and health metrics of the system, each recorded where the thing happens (README
// "Metrics and logs" lists them). Dimensions are a handful of fixed words each (never an id,
// an address or a topic name): every distinct combination is a CloudWatch metric with a price.

function record(dimensions: Record<string, string>, values: readonly MetricValue[]) {
  const correlationId = currentCorrelationId();
  const nonZero = values.filter((v) => v.value > 0);
  recordMetrics(dimensions, nonZero, correlationId === undefined ? {} : { properties: { correlationId } });
}

/** The SLA sweep's warnings and breaches that became due this tick. */
export function slaSweepMetrics(result: { warnings: number; breaches: number }): void {
  record({ context: 'cases' }, [
    { name: 'SlaWarnings', value: result.warnings },
    { name: 'SlaBreaches', value: result.breaches },
  ]);
}

/** A breach escalated (once per breach: a repeated event escalates nothing). */
export function slaEscalationMetric(): void {
  record({ context: 'cases' }, [{ name: 'SlaEscalations', value: 1 }]);
}

/** Every email through the gate: sent, or blocked and why (no_consent, suppressed, erased). */
export function emailGateMetric(kind: 'service' | 'marketing', outcome: { outcome: 'sent' } | { outcome: 'blocked'; reason: string }): void {
  if (outcome.outcome === 'sent') record({ kind }, [{ name: 'EmailsSent', value: 1 }]);
  else record({ kind, reason: outcome.reason }, [{ name: 'EmailsBlocked', value: 1 }]);
}

/** SES feedback: a bounce (Permanent, Transient, Undetermined) or a complaint, per message. */
export function emailFeedbackMetric(feedback: { kind: 'bounce'; bounceType: string } | { kind: 'complaint' }): void {
  if (feedback.kind === 'bounce') record({ bounceType: BOUNCE_TYPES.has(feedback.bounceType) ? feedback.bounceType : 'Other' }, [{ name: 'EmailBounces', value: 1 }]);
  else record({}, [{ name: 'EmailComplaints', value: 1 }]);
}
const BOUNCE_TYPES = new Set(['Permanent', 'Transient', 'Undetermined']);

/** Consent changes committed: double opt-ins confirmed, withdrawals (unsubscribe, preferences, complaint). */
export function consentMetrics(changes: { confirmed: number; withdrawn: number }): void {
  record({ context: 'consent' }, [
    { name: 'ConsentsConfirmed', value: changes.confirmed },
    { name: 'ConsentsWithdrawn', value: changes.withdrawn },
  ]);
}

/** Outbox records handled by the stream's publisher or the sweep. */
export function outboxMetrics(path: 'stream' | 'sweep', counts: { published: number; rejected: number; failed: number; unmarked: number }): void {
  record({ path }, [
    { name: 'OutboxPublished', value: counts.published },
    { name: 'OutboxRejected', value: counts.rejected },
    { name: 'OutboxFailed', value: counts.failed },
    { name: 'OutboxUnmarked', value: counts.unmarked },
  ]);
}

/** Campaign recipients of a batch or a triggered delivery, by what happened to them. */
export function campaignMetrics(counts: { sent: number; held: number; capped: number; failed: number; blocked: Readonly<Record<string, number>> }): void {
  for (const outcome of ['sent', 'held', 'capped', 'failed'] as const) record({ outcome }, [{ name: 'CampaignMessages', value: counts[outcome] }]);
  for (const [reason, n] of Object.entries(counts.blocked)) record({ outcome: 'blocked', reason: BLOCK_REASONS.has(reason) ? reason : 'other' }, [{ name: 'CampaignMessages', value: n }]);
}
const BLOCK_REASONS = new Set(['no_consent', 'suppressed', 'erased', 'held', 'capped']);
