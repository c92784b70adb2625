import type { EventBridgeEvent } from 'aws-lambda';
import type { ClvUseCases } from '#domain/analytics/clv-fit.use-cases.ts';
import { AnalyticsJobRequested } from '#events/analytics-job-requested.event.ts';

// Rule analytics-jobs: AnalyticsJobRequested. The job item says where it stands: a finished job is
// not run again; data that cannot be fitted fails the job (final); any other error is thrown, so
// EventBridge delivers the event again and the job runs again from the start.

export function analyticsJobsHandler(clv: ClvUseCases) {
  return async (event: EventBridgeEvent<string, unknown>) => {
    const { data } = AnalyticsJobRequested.detail.parse(event.detail);
    const started = Date.now();
    let outcome: Awaited<ReturnType<ClvUseCases['runFit']>>;
    try {
      outcome = await clv.runFit(data.jobId);
    } catch (error) {
      // Logged before EventBridge's retry: the job stays running until a delivery gets through.
      console.log(JSON.stringify({ level: 'error', message: 'analytics job', jobId: data.jobId, error: error instanceof Error ? `${error.name}: ${error.message}` : 'unknown' }));
      throw error;
    }
    console.log(JSON.stringify({ level: outcome === 'missing' ? 'warn' : 'info', message: 'analytics job', jobId: data.jobId, kind: data.kind, outcome, ms: Date.now() - started }));
    return outcome;
  };
}
