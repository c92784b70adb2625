// What an error from a dependency (DynamoDB, SES, the network to them) means for the caller,
// after the SDK's own retries: the service is unavailable for now (503, retry later), or a write
// lost a race with a transaction (409, read again). Anything else is not for this module to name.

export type DependencyFailure = 'unavailable' | 'conflict';

/** Throttling, server faults and timeouts the SDK reports by exception name. */
const UNAVAILABLE_NAMES = new Set([
  'TimeoutError',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'TransactionInProgressException',
  // EventBridge's answer to two changes of one rule at once (PutRule, PutTargets): try again.
  'ConcurrentModificationException',
]);

/** Node's codes for a network that does not carry the request (the SDK passes them through). */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
]);

/** TransactionCanceledException reasons that mean "not now" rather than "not this". */
const UNAVAILABLE_REASONS = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded', 'RequestLimitExceeded', 'InternalServerError']);

interface SdkLikeError {
  name?: unknown;
  code?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  CancellationReasons?: { Code?: unknown }[];
}

export function dependencyFailure(error: unknown): DependencyFailure | undefined {
  if (!(error instanceof Error)) return undefined;
  const e = error as Error & SdkLikeError;
  if (e.name === 'TransactionConflictException') return 'conflict';
  if (e.name === 'TransactionCanceledException') {
    const codes = (e.CancellationReasons ?? []).map((r) => r.Code);
    if (codes.some((code) => typeof code === 'string' && UNAVAILABLE_REASONS.has(code))) return 'unavailable';
    if (codes.includes('TransactionConflict')) return 'conflict';
    return undefined;
  }
  if (UNAVAILABLE_NAMES.has(String(e.name))) return 'unavailable';
  if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return 'unavailable';
  const status = e.$metadata?.httpStatusCode;
  if (e.$fault === 'server' && typeof status === 'number' && status >= 500) return 'unavailable';
  return undefined;
}
