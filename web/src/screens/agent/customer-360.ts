import type { components } from '../../../../clients/typescript/ecrm-api.ts';

type Interaction = components['schemas']['Interaction'];
type Stats = components['schemas']['CustomerStats'];
export type Channel = Interaction['channel'];

export const CHANNELS: readonly Channel[] = ['web', 'email', 'phone', 'chat', 'social', 'store', 'mobile'];

const KIND_WORDS: Record<Interaction['kind'], string> = {
  interaction: 'Interaction',
  case: 'Case',
  case_comment: 'Case comment',
  consent: 'Consent',
  email: 'Email',
  activity: 'Activity',
  opportunity: 'Opportunity',
};

/** The timeline's email records are entries of these types (consent/delivery records, README "Consent-first email"). */
export const EMAIL_TYPES = [
  { type: 'email_sent', label: 'Sent' },
  { type: 'email_blocked', label: 'Blocked' },
] as const;

/**
 * One line that says what a timeline entry is: "Interaction · web · page view · inbound". What the
 * kind already says is not repeated: "Email · sent" (not "Email · email · email sent"), "Case · chat · opened".
 */
export function entryHeading(e: Pick<Interaction, 'kind' | 'channel' | 'type' | 'direction'>): string {
  const type = e.type === e.kind ? '' : e.type.startsWith(`${e.kind}_`) ? e.type.slice(e.kind.length + 1) : e.type;
  const channel = e.channel === e.kind ? null : e.channel;
  return [KIND_WORDS[e.kind], channel, type.replaceAll('_', ' '), e.direction].filter((part) => part !== null && part !== '').join(' · ');
}

/** Interactions per channel, most used first (ties in the channels' own order). */
export function channelMix(stats: Pick<Stats, 'byChannel'>): { channel: string; count: number }[] {
  const order = (channel: string) => {
    const i = (CHANNELS as readonly string[]).indexOf(channel);
    return i < 0 ? CHANNELS.length : i;
  };
  return Object.entries(stats.byChannel)
    .filter(([, count]) => count > 0)
    .map(([channel, count]) => ({ channel, count }))
    .sort((a, b) => b.count - a.count || order(a.channel) - order(b.channel));
}

/** Net spend per currency ("EUR 1,234.50"), formatted for `locale`, largest first. */
export function spentTotals(stats: Pick<Stats, 'totalSpent'>, locale = 'en'): string[] {
  return Object.entries(stats.totalSpent)
    .sort(([, a], [, b]) => b - a)
    .map(([currency, amount]) => `${currency} ${new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 4 }).format(amount)}`);
}

/** An ISO timestamp as the console shows it: "1 Dec 2026, 17:05 UTC" (staff across time zones read UTC). */
export function utcTime(iso: string): string {
  const d = new Date(iso);
  const date = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(d);
  const time = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' }).format(d);
  return `${date}, ${time} UTC`;
}
