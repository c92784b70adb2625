import * as z from '#domain/shared/zod.ts';

const AnalyticsConfig = z.onFirstUse(() => z.object({ ANALYTICS_CURRENCY: z.optional(z.string().check(z.regex(/^[A-Z]{3}$/))) }));

/** The currency of purchases that name none, and the one the models are fitted in (ISO 4217; EUR when unset). Validated once at cold start. */
export function analyticsConfig(env: NodeJS.ProcessEnv = process.env) {
  return { currency: AnalyticsConfig.parse(env).ANALYTICS_CURRENCY ?? DEFAULT_ANALYTICS_CURRENCY };
}

export const DEFAULT_ANALYTICS_CURRENCY = 'EUR';
