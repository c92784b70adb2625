import type { components } from '../../../../clients/typescript/ecrm-api.ts';

// What the portal says about a case: its status in words, and what the API lets the person do
// next (reply until the case is closed, close it once it is solved). The API enforces the same
// moves (409 case-closed, status-move); the screen only avoids offering a button that must fail.

type MyCase = components['schemas']['MyCase'];
type MyComment = components['schemas']['MyComment'];
export type CaseStatus = MyCase['status'];

export const CASE_STATUS_LABELS: Record<CaseStatus, string> = {
  open: 'Open',
  pending: 'Waiting for your reply',
  on_hold: 'On hold',
  solved: 'Solved',
  closed: 'Closed',
};

/** Filter choices for the case list (`?status=`); '' lists every case. */
export const CASE_STATUS_FILTERS: readonly { value: CaseStatus | ''; label: string }[] = [
  { value: '', label: 'All cases' },
  ...(Object.entries(CASE_STATUS_LABELS) as [CaseStatus, string][]).map(([value, label]) => ({ value, label })),
];

export function canReply(c: Pick<MyCase, 'status'>): boolean {
  return c.status !== 'closed';
}

export function canClose(c: Pick<MyCase, 'status'>): boolean {
  return c.status === 'solved';
}

/** A note under the reply box when replying changes the case's status (the API reopens it). */
export function replyNote(c: Pick<MyCase, 'status'>): string | null {
  return c.status === 'pending' || c.status === 'solved' ? 'Replying reopens this case.' : null;
}

export function authorLabel(comment: Pick<MyComment, 'authorType'>): string {
  return comment.authorType === 'customer' ? 'You' : 'Support';
}

/** The case list's `?status=` value from the filter's select (none for every case). */
export function statusQuery(value: string): { status?: CaseStatus } {
  return Object.hasOwn(CASE_STATUS_LABELS, value) ? { status: value as CaseStatus } : {};
}
