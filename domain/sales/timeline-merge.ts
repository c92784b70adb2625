// The account timeline's k-way merge (pure): every source (each contact's timeline, the account's
// opportunities, its activities) is read newest first from one resume point, and one page takes
// the newest entries of all of them. A source that has more
// than it returned (its query hit its Limit, or its filter hid entries) cannot vouch for anything
// older than where it stopped, so the page ends there and the next page resumes from that point.

/** One source's run: newest first, and `stoppedAt` (the key it stopped at) when it has more. */
export interface TimelineRun<T> {
  readonly items: readonly T[];
  readonly stoppedAt: string | null;
}

/**
 * The newest `limit` entries of all runs, and the key the next page resumes after (exclusive; the
 * same key for every source, since keys are unique: `TL#<occurredAt>#<id>`), or null at the end.
 */
export function mergeNewestFirst<T>(runs: readonly TimelineRun<T>[], keyOf: (entry: T) => string, limit: number): { items: T[]; resumeAfter: string | null } {
  const stops = runs.flatMap((r) => (r.stoppedAt === null ? [] : [r.stoppedAt]));
  const floor = stops.length ? stops.reduce((a, b) => (a > b ? a : b)) : null;
  // One record may come from two runs (an activity on a contact's timeline and on the account's
  // index share the key `TL#<createdAt>#<id>`): it shows once.
  const sorted = runs.flatMap((r) => r.items).sort((a, b) => (keyOf(a) < keyOf(b) ? 1 : keyOf(a) > keyOf(b) ? -1 : 0));
  const all = sorted.filter((entry, i) => i === 0 || keyOf(entry) !== keyOf(sorted[i - 1]!));
  const safe = floor === null ? all : all.filter((entry) => keyOf(entry) >= floor);
  const items = safe.slice(0, limit);
  if (items.length === limit && items.length > 0) {
    const more = all.length > items.length || floor !== null;
    return { items, resumeAfter: more ? keyOf(items.at(-1)!) : null };
  }
  return { items, resumeAfter: floor };
}
