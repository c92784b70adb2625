import { type SalesViewer, STAFF_VIEWER } from '#domain/sales/partner-scope.ts';
import type { HttpRequest } from '../shared/http-app.ts';
import { HttpError } from '../shared/http-error.ts';

/**
 * The viewer of a sales request. Any staff role acts as staff (a staff user who is also in the
 * partner group keeps their staff view); a partner-only user is bound to the partner account of
 * its token's `custom:accountId`, and without one it reaches nothing. The route table decides
 * which routes a partner reaches at all; this decides which records.
 */
export function salesViewerOf(request: HttpRequest): SalesViewer {
  const principal = request.principal;
  const roles = principal?.roles ?? [];
  if (roles.some((role) => role !== 'partner' && role !== 'customer')) return STAFF_VIEWER;
  if (roles.includes('partner')) {
    if (!principal?.accountId) throw new HttpError(403, 'A partner token needs the claim custom:accountId (the partner account).');
    return { kind: 'partner', accountId: principal.accountId };
  }
  throw new HttpError(403, 'Only staff and partner users reach sales records.');
}
