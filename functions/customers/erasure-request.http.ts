import type { HttpRequest } from '../shared/http-app.ts';
import { forbidden } from '../shared/http-error.ts';

/**
 * The customer a self-service token speaks for (claim `custom:customerId`): the erasure routes
 * take no id, so a person can only ever ask for, read or cancel their own request.
 */
export function requesterId(request: HttpRequest): string {
  const id = request.principal?.customerId;
  if (!id) throw forbidden();
  return id;
}
