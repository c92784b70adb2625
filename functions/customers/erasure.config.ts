import { DEFAULT_GRACE_DAYS, MAX_GRACE_DAYS } from '#domain/customers/erasure-grace.ts';

// The grace period of a person's own erasure request, validated once at cold start.
//   ERASURE_GRACE_DAYS  whole days between DELETE /me and the erasure (0: at once; at most 30,
//                       since GDPR asks for erasure within a month of the request)
// Checked by hand rather than with zod: this runs on the customers function's cold path, which
// must not reach zod (see functions/shared/table-config.ts). The same rule as the stack's
// settings check (infra/cdk/stack-settings.ts), which refuses a bad value at synth already.

export function erasureConfig(env: NodeJS.ProcessEnv = process.env) {
  const raw = env.ERASURE_GRACE_DAYS;
  if (raw === undefined) return { graceDays: DEFAULT_GRACE_DAYS };
  const graceDays = Number(raw);
  if (!Number.isInteger(graceDays) || graceDays < 0 || graceDays > MAX_GRACE_DAYS) {
    throw new Error(`ERASURE_GRACE_DAYS: expected a whole number of days from 0 to ${MAX_GRACE_DAYS}, got "${raw}"`);
  }
  return { graceDays };
}
