import * as z from '#domain/shared/zod.ts';
import { DEFAULT_DELAY_SECONDS } from '#domain/surveys/survey.ts';

// How long after a case is solved its survey goes out, validated once at cold start.
//   CSAT_DELAY_SECONDS   seconds (default 3600; at most 30 days)

const Delay = z.onFirstUse(() => z.coerce.number().check(z.int(), z.gte(0), z.lte(30 * 24 * 3600)));
const CsatConfig = z.onFirstUse(() => z.object({ CSAT_DELAY_SECONDS: z._default(Delay, DEFAULT_DELAY_SECONDS) }));

export function csatConfig(env: NodeJS.ProcessEnv = process.env) {
  return { delaySeconds: CsatConfig.parse(env).CSAT_DELAY_SECONDS };
}
