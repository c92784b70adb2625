import { afterEach, describe, expect, it, vi } from 'vitest';
import { analyticsJobsHandler } from '../../functions/analytics/analytics-jobs.handler.ts';
import { analyticsFakes } from '../support/analytics-fakes.ts';

// The jobs worker's edge: the event parsed, the job run once; a failure that is not the data's
// is logged and thrown (EventBridge delivers again), and a finished job is not run again.

const event = (data: Record<string, unknown>) => ({
  version: '0',
  id: 'e1',
  'detail-type': 'AnalyticsJobRequested',
  source: 'crm.analytics',
  account: '1',
  time: '2026-12-01T10:00:00Z',
  region: 'eu-west-1',
  resources: [],
  detail: { metadata: { eventId: 'ev-1', version: 1, occurredAt: '2026-12-01T10:00:00.000Z', correlationId: 'c', causationId: null, idempotencyKey: 'ev-1' }, data },
});

afterEach(() => vi.restoreAllMocks());

describe('analytics jobs handler', () => {
  it('runs a queued job, and a redelivery of a finished one does nothing', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const purchases = ['2026-01-01', '2026-02-01'].map((day, i) => ({ customerId: 'c1', interactionId: `i${i}`, day, amount: 10, currency: 'USD' }));
    const { clv } = analyticsFakes(purchases);
    const job = await clv.requestFit({ asOf: '2026-06-30', periodUnit: 'day' }, { correlationId: 'c' });
    const handler = analyticsJobsHandler(clv);
    expect(['succeeded', 'failed']).toContain(await handler(event({ jobId: job.jobId, kind: 'clv-fit' })));
    expect(await handler(event({ jobId: job.jobId, kind: 'clv-fit' }))).toBe('already-finished');
    expect(await handler(event({ jobId: 'gone', kind: 'clv-fit' }))).toBe('missing');
  });

  it('logs and throws when a store fails, releasing the job (queued again, with the error) for the next delivery', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { clv, deps, state } = analyticsFakes([]);
    const job = await clv.requestFit({ asOf: '2026-06-30', periodUnit: 'day' }, { correlationId: 'c' });
    deps.purchases.upTo = () => {
      throw new Error('throttled');
    };
    await expect(analyticsJobsHandler(clv)(event({ jobId: job.jobId, kind: 'clv-fit' }))).rejects.toThrow('throttled');
    expect(state.jobs.get(job.jobId)).toMatchObject({ status: 'queued', startedAt: expect.any(String), error: 'Error: throttled' });
    expect(JSON.parse(String(log.mock.calls[0]![0]))).toMatchObject({ level: 'error', jobId: job.jobId, error: 'Error: throttled', released: 'released' });
  });

  it('leaves a job another delivery holds alone, with a warning', async () => {
    const log = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { clv, state } = analyticsFakes([]);
    const job = await clv.requestFit({ asOf: '2026-06-30', periodUnit: 'day' }, { correlationId: 'c' });
    state.jobs.set(job.jobId, { ...job, status: 'running', startedAt: state.now.toISOString() });
    expect(await analyticsJobsHandler(clv)(event({ jobId: job.jobId, kind: 'clv-fit' }))).toBe('running-elsewhere');
    expect(JSON.parse(String(log.mock.calls[0]![0]))).toMatchObject({ level: 'warn', jobId: job.jobId, outcome: 'running-elsewhere' });
  });

  it('throws on a malformed event', async () => {
    await expect(analyticsJobsHandler(analyticsFakes().clv)(event({ jobId: 7 }))).rejects.toThrow();
  });
});
