// In a module of its own, importing nothing: the customers function reads ERASURE_GRACE_DAYS at
// cold start, and its cold path must not reach the event schemas (zod) erasure-request.ts imports.

/** ERASURE_GRACE_DAYS: at least 0 (run at once), at most 30 (GDPR asks for erasure within a month). */
export const DEFAULT_GRACE_DAYS = 7;
export const MAX_GRACE_DAYS = 30;
