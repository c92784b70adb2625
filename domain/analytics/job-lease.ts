import type { AnalyticsJob } from './clv-model.schema.ts';

// The worker's lease on a job. The job item is the only record of who runs it: `running` with its
// startedAt says a worker took it then. A worker cannot outlive its function's timeout, so a
// running job older than one timeout has no live worker (it crashed or timed out) and the next
// delivery of its event may take it again. Lambda retries a failed asynchronous invocation a fixed
// number of times within minutes; once a job has waited for `timeout x attempts` since it was last
// taken, no delivery is coming for it any more, and it reads as failed with the reason, instead of
// `running` for ever.

export interface WorkerLease {
  /** The worker function's timeout. */
  readonly timeoutSeconds: number;
  /** Deliveries of one event: the first and Lambda's retries of the asynchronous invocation. */
  readonly attempts: number;
}

const ms = (iso: string) => Date.parse(iso);

/** A running job whose worker may still be alive (taken less than one timeout ago): another delivery leaves it alone. */
export function isLeased(job: AnalyticsJob, now: Date, lease: WorkerLease): boolean {
  return job.status === 'running' && job.startedAt !== null && now.getTime() - ms(job.startedAt) < lease.timeoutSeconds * 1000;
}

/**
 * The job as the API and the worker see it: a job taken (running, or queued again after a failed
 * attempt) longer ago than every attempt could take reads as failed at that deadline, with why.
 */
export function jobAsRead(job: AnalyticsJob, now: Date, lease: WorkerLease): AnalyticsJob {
  if (job.status === 'succeeded' || job.status === 'failed' || job.startedAt === null) return job;
  const deadline = ms(job.startedAt) + lease.timeoutSeconds * 1000 * lease.attempts;
  if (now.getTime() < deadline) return job;
  const last = job.error ? ` The last attempt: ${job.error}` : '';
  return {
    ...job,
    status: 'failed',
    finishedAt: new Date(deadline).toISOString(),
    error: `The worker stopped without finishing (it crashed, timed out or failed) and no retry took the job up; request a new fit.${last}`,
  };
}
