import type { EventBridgeEvent } from 'aws-lambda';
import type { ClvUseCases } from '#domain/analytics/clv-fit.use-cases.ts';
import { AnalyticsJobRequested } from '#events/analytics-job-requested.event.ts';
import { log } from '../shared/log.ts';

// Rule analytics-jobs: AnalyticsJobRequested. The job item says where it stands: a finished job is
// not run again, one another delivery holds is left alone; data that cannot be fitted fails the job
// (final); any other error releases the job and is thrown, so Lambda delivers the event again and
// the job runs again from the start.

export function analyticsJobsHandler(clv: ClvUseCases) {
  return async (event: EventBridgeEvent<string, unknown>) => {
    const { data } = AnalyticsJobRequested.detail.parse(event.detail);
    const started = Date.now();
    let outcome: Awaited<ReturnType<ClvUseCases['runFit']>>;
    try {
      outcome = await clv.runFit(data.jobId);
    } catch (error) {
      // Logged, and the job released (queued again with the error), before Lambda's retry takes it
      // up; if the release fails too, the retry waits out the lease (job-lease.ts).
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : 'unknown';
      const released = await clv.releaseFit(data.jobId, reason).catch(() => 'release-failed' as const);
      log('error', 'analytics job', { jobId: data.jobId, error: reason, released });
      throw error;
    }
    const level = outcome === 'missing' || outcome === 'running-elsewhere' ? 'warn' : 'info';
    log(level, 'analytics job', { jobId: data.jobId, kind: data.kind, outcome, ms: Date.now() - started });
    return outcome;
  };
}
