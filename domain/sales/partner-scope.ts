import { NotFoundError } from '../shared/errors.ts';

// Who is looking at sales records. Staff see every lead and opportunity; a partner user (role
// `partner`) sees and works only those assigned to its partner account, and for anything else it
// is told "not found", exactly as for an id that does not exist, so that ids of other partners'
// records reveal nothing.

export type SalesViewer = { readonly kind: 'staff' } | { readonly kind: 'partner'; readonly accountId: string };

export const STAFF_VIEWER: SalesViewer = { kind: 'staff' };

/** Whether `viewer` may see a record assigned to `partnerAccountId` (null: assigned to no partner). */
export function canSee(viewer: SalesViewer, record: { readonly partnerAccountId: string | null }): boolean {
  return viewer.kind === 'staff' || record.partnerAccountId === viewer.accountId;
}

/** `record` if the viewer may see it; otherwise the record's own not-found error (the same answer as an unknown id). */
export function visibleOr<T extends { readonly partnerAccountId: string | null }>(viewer: SalesViewer, record: T | undefined, notFound: () => NotFoundError): T {
  if (!record || !canSee(viewer, record)) throw notFound();
  return record;
}
