import type { FunctionName } from './routes.ts';

// Who may call what, and the shape of a route: what every API function needs at cold start to route
// and authorize (http-app, auth) and what each function's route list (infra/route-lists/) is made
// of. Nothing here names another context's routes, so a function bundles its own list alone.

/**
 * Staff roles first (most privileged first: Cognito group precedence follows this order), then the
 * two outside roles: `partner` (a partner company's user, bound to its partner account by the claim
 * `custom:accountId`; it sees only the leads and opportunities assigned to that account) and
 * `customer` (self-service, bound to `custom:customerId`).
 */
export const ROLES = ['admin', 'manager', 'agent', 'marketer', 'partner', 'customer'] as const;
export type Role = (typeof ROLES)[number];

export const STAFF_READ: Role[] = ['admin', 'manager', 'agent', 'marketer'];
export const STAFF_WRITE: Role[] = ['admin', 'manager', 'agent'];
export const DATA_PROTECTION: Role[] = ['admin', 'manager'];
/** Agents and managers work cases; admins configure (and may work them); marketers see none. */
export const CASE_WORK: Role[] = ['admin', 'manager', 'agent'];
export const CONFIGURE: Role[] = ['admin'];
export const REPORTS: Role[] = ['admin', 'manager'];
export const MARKETING: Role[] = ['admin', 'marketer'];
export const CUSTOMER: Role[] = ['customer'];
/** Knowledge base: agents (and up) write drafts; publishing, archiving and the category tree are for managers and admins. */
export const KB_WRITE: Role[] = ['admin', 'manager', 'agent'];
export const KB_PUBLISH: Role[] = ['admin', 'manager'];
/** The product catalogue (issue 12): admins, managers and marketers keep it. */
export const PRODUCT_WRITE: Role[] = ['admin', 'manager', 'marketer'];
export const ANY_USER: Role[] = ['admin', 'manager', 'agent', 'marketer', 'customer'];

/**
 * Who may read each context's entries on a customer's timeline: the access of the route that reads
 * them on their own (GET /cases/{id}, GET /cases/{id}/comments and GET /customers/{id}/consents use
 * these very constants; plain identifiers, not property reads, so that bundles can drop the lists), so the customers function applies it without bundling other contexts' routes.
 */
export const CASE_READ = CASE_WORK;
export const CONSENT_READ = STAFF_READ;
/** GET /activities and GET /opportunities (issue 12): staff who may read sales data; never a customer, not even on /me/timeline. */
export const ACTIVITY_READ = STAFF_READ;
export const OPPORTUNITY_READ = STAFF_READ;
/**
 * A customer reads their own cases and public comments (GET /me/cases/{id}, .../comments) and their
 * own consents (GET /me/consents) on their own, so their own timeline (GET /me/timeline, the only
 * timeline a customer token reaches) shows those kinds too. Internal comments are never on a timeline.
 */
export const OWN_READ = CUSTOMER;
export const TIMELINE_READ_ACCESS = {
  case: [...CASE_READ, ...OWN_READ],
  case_comment: [...CASE_READ, ...OWN_READ],
  consent: [...CONSENT_READ, ...OWN_READ],
  activity: ACTIVITY_READ,
  opportunity: OPPORTUNITY_READ,
} as const;

/** One route of the table; each function's list (infra/route-lists/) holds its own. */
export interface RouteSpec {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly function: FunctionName;
  readonly operationId: string;
  /** 'public' routes have no authorizer; others need a token whose groups include one of these. */
  readonly access: 'public' | readonly Role[];
  /** Body content types accepted besides application/json. */
  readonly bodyTypes?: readonly string[];
  readonly idempotent?: boolean;
}

/** One function's whole list from its parts' lists (sales, analytics), or the whole table from every list. */
export function concatRoutes<L extends readonly (readonly RouteSpec[])[]>(...lists: L): readonly L[number][number][] {
  return lists.flat() as L[number][number][];
}

export type RouteKey = `${RouteSpec['method']} ${string}`;
export const routeKey = (r: Pick<RouteSpec, 'method' | 'path'>): RouteKey => `${r.method} ${r.path}`;
