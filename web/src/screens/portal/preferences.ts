import type { components } from '../../../../clients/typescript/ecrm-api.ts';

// The preference centre's rows. GET /me/consents answers one flag per topic (true while consent
// is given or awaits confirmation); whether a true flag still waits for the double opt-in link is
// on the person's consent history (the ledger entries the export lists), so the screen reads both
// and shows what the API knows rather than guessing.

type Topic = components['schemas']['Topic'];
type Interaction = components['schemas']['Interaction'];

export type PreferenceState = 'subscribed' | 'awaiting-confirmation' | 'unsubscribed' | 'not-subscribed';

export interface PreferenceRow {
  topicId: string;
  name: string;
  description: string;
  purpose: Topic['purpose'] | null;
  /** The flag GET /me/consents answered (what PUT takes). */
  on: boolean;
  state: PreferenceState;
  /** When the latest consent change for the topic happened, if the history has one. */
  since: string | null;
}

export const STATE_LABELS: Record<PreferenceState, string> = {
  subscribed: 'Subscribed',
  'awaiting-confirmation': 'Awaiting your confirmation: check your email for the link',
  unsubscribed: 'Unsubscribed',
  'not-subscribed': 'Not subscribed',
};

interface LatestChange {
  action: string;
  at: string;
}

/** The latest ledger action per topic, from consent timeline entries in any order. */
export function latestConsentChanges(entries: readonly Interaction[]): Map<string, LatestChange> {
  const latest = new Map<string, LatestChange>();
  for (const entry of entries) {
    if (entry.kind !== 'consent') continue;
    const topic = entry.data['topic'];
    const action = entry.data['action'];
    if (typeof topic !== 'string' || typeof action !== 'string') continue;
    const seen = latest.get(topic);
    if (seen === undefined || entry.occurredAt > seen.at) latest.set(topic, { action, at: entry.occurredAt });
  }
  return latest;
}

function stateOf(on: boolean, latest: LatestChange | undefined): PreferenceState {
  if (on) return latest?.action === 'requested' ? 'awaiting-confirmation' : 'subscribed';
  return latest === undefined ? 'not-subscribed' : 'unsubscribed';
}

/** One row per topic the flags name, in the order of GET /topics (topics it does not list last, by id). */
export function preferenceRows(topics: readonly Topic[], flags: Readonly<Record<string, boolean>>, history: readonly Interaction[]): PreferenceRow[] {
  const latest = latestConsentChanges(history);
  const known = topics.filter((t) => t.id in flags);
  const unknown = Object.keys(flags)
    .filter((id) => !topics.some((t) => t.id === id))
    .sort();
  const row = (topicId: string, topic: Topic | undefined): PreferenceRow => {
    const on = flags[topicId] === true;
    const change = latest.get(topicId);
    return {
      topicId,
      name: topic?.name ?? topicId,
      description: topic?.description ?? '',
      purpose: topic?.purpose ?? null,
      on,
      state: stateOf(on, change),
      since: change?.at ?? null,
    };
  };
  return [...known.map((t) => row(t.id, t)), ...unknown.map((id) => row(id, undefined))];
}
