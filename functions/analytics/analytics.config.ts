import { optionalEnv } from '../shared/env.ts';

/** The currency of purchases that name none, and the one the models are fitted in (ISO 4217; EUR when unset). Validated once at cold start. */
export function analyticsConfig(env: NodeJS.ProcessEnv = process.env) {
  return { currency: optionalEnv(env, 'ANALYTICS_CURRENCY', { pattern: /^[A-Z]{3}$/, expected: 'an ISO 4217 currency code' }) ?? DEFAULT_ANALYTICS_CURRENCY };
}

export const DEFAULT_ANALYTICS_CURRENCY = 'EUR';
