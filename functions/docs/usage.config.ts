import * as z from '#domain/shared/zod.ts';
import { DEFAULT_PRICES } from '#domain/operations/usage.ts';
import { PriceOverrides, type PriceTable } from '#domain/operations/usage.schema.ts';

/**
 * The price table of GET /usage: the defaults with USAGE_PRICES (JSON, any subset of the keys;
 * CDK sets it from `-c usagePrices`) over them. Validated at cold start: a typo in a key or a
 * negative price fails the init, not a request.
 */
export function usagePricesConfig(env: NodeJS.ProcessEnv = process.env): PriceTable {
  const raw = env.USAGE_PRICES;
  if (raw === undefined || raw.trim() === '') return DEFAULT_PRICES;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error('USAGE_PRICES is not JSON.');
  }
  const result = PriceOverrides.safeParse(parsed);
  if (!result.success) throw new Error(`USAGE_PRICES is not a valid price table: ${z.prettifyError(result.error)}`);
  return { ...DEFAULT_PRICES, ...result.data };
}
