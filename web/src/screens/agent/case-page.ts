import type { components } from '../../../../clients/typescript/ecrm-api.ts';

type Case = components['schemas']['Case'];
type Comment = components['schemas']['Comment'];
export type CaseStatus = Case['status'];
export type Priority = Case['priority'];

export const PRIORITIES: readonly Priority[] = ['low', 'normal', 'high', 'urgent'];

export const STATUS_WORDS: Record<CaseStatus, string> = {
  open: 'Open',
  pending: 'Pending',
  on_hold: 'On hold',
  solved: 'Solved',
  closed: 'Closed',
};

// The moves the API allows (README "Cases", PATCH /cases/{id}); the API refuses any other with 409
// `status-move`, so the form offers only these and the API stays the judge.
const MOVES: Record<CaseStatus, readonly CaseStatus[]> = {
  open: ['pending', 'on_hold', 'solved'],
  pending: ['open', 'solved'],
  on_hold: ['open', 'solved'],
  solved: ['open', 'closed'],
  closed: [],
};

/** The statuses the status field offers: the current one first, then the moves from it. */
export function statusChoices(status: CaseStatus): CaseStatus[] {
  return [status, ...MOVES[status]];
}

/** The PATCH body of what the form changed, or null when nothing did (nothing is sent then). */
export function casePatch(
  current: Pick<Case, 'status' | 'priority' | 'queue'>,
  form: { status: CaseStatus; priority: Priority; queue: string },
): Partial<Pick<Case, 'status' | 'priority' | 'queue'>> | null {
  const patch: Partial<Pick<Case, 'status' | 'priority' | 'queue'>> = {};
  if (form.status !== current.status) patch.status = form.status;
  if (form.priority !== current.priority) patch.priority = form.priority;
  const queue = form.queue.trim();
  if (queue !== current.queue) patch.queue = queue;
  return Object.keys(patch).length > 0 ? patch : null;
}

/** Who wrote a comment and who sees it, in words: "Internal note by agent-7", "Public reply by the customer". */
export function commentCaption(c: Pick<Comment, 'visibility' | 'authorType' | 'authorId'>): string {
  const what = c.visibility === 'internal' ? 'Internal note' : c.authorType === 'customer' ? 'Public message' : 'Public reply';
  const who = c.authorType === 'customer' ? 'the customer' : c.authorId;
  return `${what} by ${who}`;
}

/** The assign body: a named agent, nobody (unassign), or the queue's least busy member. */
export function assignBody(choice: { mode: 'agent'; assigneeId: string } | { mode: 'unassign' } | { mode: 'auto' }) {
  switch (choice.mode) {
    case 'agent':
      return { assigneeId: choice.assigneeId.trim() };
    case 'unassign':
      return { assigneeId: null };
    case 'auto':
      return { auto: true as const };
  }
}

/** The API's own field errors (problem `errors`, paths like `body` or `articleIds.0`) as field -> message. */
export function problemFieldErrors(problem: { errors?: readonly { path: string; message: string }[] | undefined } | null | undefined): Record<string, string> {
  const found: Record<string, string> = {};
  for (const issue of problem?.errors ?? []) found[issue.path] ??= issue.message;
  return found;
}
