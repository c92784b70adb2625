import { HttpError } from './http-error.ts';
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
