/** How long an AWS SDK client may wait for a dependency, and how often it tries. */
export interface ClientLimits {
  readonly connectionTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly maxAttempts: number;
}

/**
 * SDK client settings that bound every call: a dependency that is unreachable or silent fails
 * within `maxAttempts x (connection + request)` instead of holding the caller until Lambda's
 * own timeout.
 */
export function boundedClientConfig(limits: ClientLimits) {
  return {
    maxAttempts: limits.maxAttempts,
    requestHandler: {
      connectionTimeout: limits.connectionTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // Without it the SDK only logs a warning when requestTimeout passes, and keeps waiting.
      throwOnRequestTimeout: true,
    },
  };
}
