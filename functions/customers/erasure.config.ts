import * as z from '#domain/shared/zod.ts';
import { DEFAULT_GRACE_DAYS, MAX_GRACE_DAYS } from '#domain/customers/erasure-request.ts';

// The grace period of a person's own erasure request, validated once at cold start.
//   ERASURE_GRACE_DAYS  whole days between DELETE /me and the erasure (0: at once; at most 30,
//                       since GDPR asks for erasure within a month of the request)

const GraceDays = z.onFirstUse(() => z.coerce.number().check(z.int(), z.gte(0), z.lte(MAX_GRACE_DAYS)));
const ErasureConfig = z.onFirstUse(() => z.object({ ERASURE_GRACE_DAYS: z._default(GraceDays, DEFAULT_GRACE_DAYS) }));

export function erasureConfig(env: NodeJS.ProcessEnv = process.env) {
  return { graceDays: ErasureConfig.parse(env).ERASURE_GRACE_DAYS };
}
