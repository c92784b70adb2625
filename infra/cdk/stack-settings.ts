import type { Construct } from 'constructs';

/**
 * Deploy-time knobs, read from CDK context (`cdk.json` or `cdk deploy -c key=value`). Everything
 * else is fixed by infra/topology.ts and infra/table.ts.
 */
export interface StackSettings {
  /**
   * Browser origins allowed by CORS. Default: none, so no CORS configuration at all: a deployment
   * starts closed and each frontend origin is opted in explicitly
   * (`-c corsOrigins=https://app.example.com,https://admin.example.com`). `*` is accepted for
   * development; it is safe-ish here because the API authenticates with bearer tokens, never
   * cookies, but it still lets any page call the public routes from a browser.
   */
  readonly corsOrigins: readonly string[];
  /** Stage-wide steady-state requests per second (`-c throttleRateLimit=100`). */
  readonly throttleRateLimit: number;
  /** Stage-wide burst bucket (`-c throttleBurstLimit=200`). */
  readonly throttleBurstLimit: number;
}

export const DEFAULT_SETTINGS: StackSettings = {
  corsOrigins: [],
  throttleRateLimit: 100,
  throttleBurstLimit: 200,
};

/** Validated once at synth time: a typo in a context value fails `cdk synth`, not a deployment. */
export function settingsFromContext(scope: Construct): StackSettings {
  const read = (key: string): unknown => scope.node.tryGetContext(key);
  return {
    corsOrigins: origins(read('corsOrigins')),
    throttleRateLimit: positiveNumber('throttleRateLimit', read('throttleRateLimit'), DEFAULT_SETTINGS.throttleRateLimit),
    throttleBurstLimit: positiveInteger('throttleBurstLimit', read('throttleBurstLimit'), DEFAULT_SETTINGS.throttleBurstLimit),
  };
}

function origins(raw: unknown): string[] {
  if (raw === undefined || raw === null || raw === '') return [];
  // `-c corsOrigins=a,b` arrives as a string; cdk.json may hold an array.
  const list = Array.isArray(raw) ? raw : String(raw).split(',');
  const values = list.map((o) => String(o).trim()).filter(Boolean);
  for (const origin of values) {
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) {
      throw new Error(`corsOrigins: "${origin}" is not an origin (scheme://host[:port], no path) or "*"`);
    }
  }
  return values;
}

function positiveNumber(key: string, raw: unknown, fallback: number): number {
  if (raw === undefined || raw === null || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${key}: expected a positive number, got "${String(raw)}"`);
  return value;
}

function positiveInteger(key: string, raw: unknown, fallback: number): number {
  const value = positiveNumber(key, raw, fallback);
  if (!Number.isInteger(value)) throw new Error(`${key}: expected a positive integer, got "${String(raw)}"`);
  return value;
}
