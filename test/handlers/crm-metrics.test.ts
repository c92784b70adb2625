import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { campaignMetrics, emailFeedbackMetric, emailGateMetric, outboxMetrics } from '#functions/shared/crm-metrics.ts';
import { withCorrelation } from '#functions/shared/log.ts';

let spy: ReturnType<typeof vi.spyOn>;
const lines = () => spy.mock.calls.map(([line]: unknown[]) => JSON.parse(String(line)) as Record<string, unknown>);
beforeEach(() => {
  spy = vi.spyOn(console, 'log').mockImplementation(() => undefined);
});
afterEach(() => spy.mockRestore());

const metricNames = (line: Record<string, unknown>) =>
  (line._aws as { CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string }[] }[] }).CloudWatchMetrics[0]!;

describe('crm metrics', () => {
  it('writes the gate outcome under its kind, and a refusal under its reason, with the correlationId of the invocation', () => {
    withCorrelation('abc-123', () => {
      emailGateMetric('marketing', { outcome: 'sent' });
      emailGateMetric('service', { outcome: 'blocked', reason: 'suppressed' });
    });
    expect(lines()).toEqual([
      expect.objectContaining({ kind: 'marketing', EmailsSent: 1, correlationId: 'abc-123' }),
      expect.objectContaining({ kind: 'service', reason: 'suppressed', EmailsBlocked: 1, correlationId: 'abc-123' }),
    ]);
    expect(metricNames(lines()[1]!).Dimensions).toEqual([['kind', 'reason']]);
  });

  it('leaves values of 0 out and writes nothing when all are 0', () => {
    outboxMetrics('sweep', { published: 0, rejected: 0, failed: 0, unmarked: 0 });
    expect(spy).not.toHaveBeenCalled();
    outboxMetrics('stream', { published: 3, rejected: 0, failed: 1, unmarked: 0 });
    expect(lines()).toHaveLength(1);
    expect(lines()[0]).toMatchObject({ path: 'stream', OutboxPublished: 3, OutboxFailed: 1 });
    expect(metricNames(lines()[0]!).Metrics.map((m) => m.Name)).toEqual(['OutboxPublished', 'OutboxFailed']);
  });

  it('keeps dimension values to a fixed set: an unknown bounce type or block reason is "Other" / "other"', () => {
    emailFeedbackMetric({ kind: 'bounce', bounceType: 'Permanent' });
    emailFeedbackMetric({ kind: 'bounce', bounceType: 'someone@example.com' });
    campaignMetrics({ sent: 2, held: 0, capped: 1, failed: 0, blocked: { no_consent: 1, 'made-up': 2 } });
    expect(lines()).toEqual([
      expect.objectContaining({ bounceType: 'Permanent', EmailBounces: 1 }),
      expect.objectContaining({ bounceType: 'Other', EmailBounces: 1 }),
      expect.objectContaining({ outcome: 'sent', CampaignMessages: 2 }),
      expect.objectContaining({ outcome: 'capped', CampaignMessages: 1 }),
      expect.objectContaining({ outcome: 'blocked', reason: 'no_consent', CampaignMessages: 1 }),
      expect.objectContaining({ outcome: 'blocked', reason: 'other', CampaignMessages: 2 }),
    ]);
  });
});
