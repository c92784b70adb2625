import type { PartnerAccounts } from '#domain/sales/partner.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { HttpError } from '../shared/http-error.ts';
import { lazyPort } from '../shared/lazy.ts';
import type { SalesInfra } from './sales.infra.ts';
import { salesViewerOf } from './sales-viewer.ts';

// The partners part of the sales function (issue 12): partner users reach the lead and
// opportunity routes the route table opens to them (PARTNER in infra/route-lists/sales.route-list.ts),
// and each of those scopes its records by salesViewerOf. This part adds the gate in front of them all.

export interface PartnerPorts {
  readonly partnerAccounts: PartnerAccounts;
}

/**
 * The gate stands in front of every sales route, so it is part of every cold start; its adapter
 * (and the account keys it reads with) loads on the first partner request instead.
 */
export const partnerPortsFor = (infra: SalesInfra): PartnerPorts => ({
  partnerAccounts: lazyPort(async () => (await import('./partner.dynamodb.ts')).dynamoPartnerAccounts(infra)),
});

/**
 * Every sales handler behind the partner gate: a partner user's token names its partner account,
 * and that account must exist and be of type partner NOW. Deleting a partner account or retyping
 * it to customer therefore cuts its users off at once (403), whatever their tokens still say, while
 * the leads and opportunities assigned to it stay as they are for staff to see and reassign.
 * Staff and public requests pass without a read.
 */
export function partnerGated<D extends PartnerPorts>(handlers: Record<string, RouteHandler<D>>): Record<string, RouteHandler<D>> {
  return Object.fromEntries(
    Object.entries(handlers).map(([key, handler]) => [
      key,
      async (request, deps) => {
        if (request.principal?.roles.includes('partner')) {
          const viewer = salesViewerOf(request);
          if (viewer.kind === 'partner' && !(await deps.partnerAccounts.isPartner(viewer.accountId))) {
            throw new HttpError(403, 'The partner account of this token is not a partner account (any more); ask your channel manager.');
          }
        }
        return handler(request, deps);
      },
    ]),
  );
}
