import type { IdempotencyClaim } from '#domain/shared/ports.ts';
import { HttpError } from './http-error.ts';
import { idempotencyClaim } from './request.ts';
import type { HttpRequest } from './http-app.ts';

/**
 * The customer a self-service (/me) request is about: the token's `custom:customerId`, never a path
 * or body value, so no request can name another person. A customer token without it reaches nobody (403).
 */
export function tokenCustomerId(request: HttpRequest): string {
  const id = request.principal?.customerId;
  if (!id) throw new HttpError(403, 'Your token names no customer (claim custom:customerId), so it reaches no profile.');
  return id;
}

/**
 * Idempotency-Key of a self-service write, kept apart per customer: the key's scope names the token's
 * customer as well as its subject, so a key two customers happen to share (or one subject signed in
 * as several customers, as local dev tokens are) never replays one customer's answer to another.
 */
export function customerIdempotencyClaim(request: HttpRequest, customerId: string, path: string): IdempotencyClaim | undefined {
  const claim = idempotencyClaim(request, path);
  return claim && { ...claim, scope: `${claim.scope}|customer:${customerId}` };
}
