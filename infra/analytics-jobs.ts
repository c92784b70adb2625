/**
 * The analyticsJobs function's timeout (FUNCTIONS in infra/routes.ts): also its worker's lease
 * (functions/analytics/clv.part.ts WORKER_LEASE). A module of its own so that the analytics
 * function reads this number without bundling FUNCTIONS (every function's definition, ~7.5 KB).
 */
export const ANALYTICS_JOBS_TIMEOUT_SECONDS = 900;
