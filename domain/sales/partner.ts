import { ConflictError, ForbiddenActionError, UnprocessableError } from '../shared/errors.ts';
import type { SalesViewer } from './partner-scope.ts';

// Partner relationship management (issue 12), the pure rules: which partner account a lead or an
// opportunity is assigned to, what a partner user may name in a write, and which partner partition
// a listing reads. Which records a viewer sees at all is partner-scope.ts.

/** An assignment names an account that does not exist or is not of type partner (checked in the write's transaction). */
export class NotAPartnerError extends UnprocessableError {
  override readonly code = 'not-a-partner';
  constructor(id: string) {
    super(`Account ${id} is not a partner account (partnerAccountId names an existing account of type partner).`);
  }
}

/** A partner user named a field only staff set (the owner, the partner assignment), or another partner's partition. */
export class PartnerForbiddenError extends ForbiddenActionError {
  constructor(detail: string) {
    super(detail);
  }
}

/**
 * A partner registered a deal whose email has an open lead it does not see (another partner's, or
 * staff's). Channel conflict: the answer says the deal is registered, never by whom nor its id.
 */
export class DealRegisteredError extends ConflictError {
  override readonly code = 'lead-open';
  constructor() {
    super('An open lead for this email is registered already; your channel manager can tell you more.');
  }
}

/** What the partner gate needs of accounts (functions/sales/partner.dynamodb.ts). */
export interface PartnerAccounts {
  /** Whether the account exists and is of type partner now. */
  isPartner(accountId: string): Promise<boolean>;
}

/** The fields only staff set on a lead or an opportunity. */
const STAFF_ONLY = ['ownerId', 'partnerAccountId'] as const;

/**
 * A partner user's write must not name the owner or the partner assignment (403): the record's
 * owner is the vendor's channel manager, and the assignment is what scopes the partner itself.
 */
export function refuseStaffOnlyFields(viewer: SalesViewer, body: Partial<Record<(typeof STAFF_ONLY)[number], unknown>>): void {
  if (viewer.kind !== 'partner') return;
  const named = STAFF_ONLY.filter((field) => body[field] !== undefined);
  if (named.length > 0) throw new PartnerForbiddenError(`A partner user cannot set ${named.join(' or ')}; your channel manager assigns them.`);
}

/**
 * The partner account a new lead is assigned to. Staff name any (or none); a partner's deal
 * registration is always its own account: naming its own is allowed, another one is 403.
 */
export function registrationPartner(viewer: SalesViewer, named: string | null | undefined): string | null {
  if (viewer.kind === 'staff') return named ?? null;
  if (named !== undefined && named !== viewer.accountId) throw new PartnerForbiddenError('A partner user registers leads for its own partner account only.');
  return viewer.accountId;
}

/**
 * The partner partition a listing reads: staff's `?partner=` filter as given (or none); a partner
 * user always its own (another account's is 403), so the scope is the Query's key condition and a
 * page never holds, nor is shortened by, anybody else's records.
 */
export function listingPartner(viewer: SalesViewer, named: string | undefined): string | undefined {
  if (viewer.kind === 'staff') return named;
  if (named !== undefined && named !== viewer.accountId) throw new PartnerForbiddenError('A partner user lists its own partner account only.');
  return viewer.accountId;
}
