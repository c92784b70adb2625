import * as z from '#domain/shared/zod.ts';
import { Channel, type Interaction } from './interaction.schema.ts';

// Customer statistics kept current as interactions arrive (never by reading the timeline).

export const CustomerStats = z.onFirstUse(() => z
  .object({
    interactionCount: z.int(),
    lastInteractionAt: z.nullable(z.iso.datetime()),
    lastChannel: z.nullable(z.string()),
    purchaseCount: z.int(),
    /** Purchases minus refunds, per ISO 4217 currency. */
    totalSpent: z.record(z.string(), z.number()),
    /** Interactions per channel (segments select on them); profiles from before it read as {}. */
    byChannel: z.partialRecord(Channel, z.int()),
  })
  .register(z.globalRegistry, { id: 'CustomerStats' }));
export type CustomerStats = z.infer<typeof CustomerStats>;

export const EMPTY_STATS: CustomerStats = {
  interactionCount: 0,
  lastInteractionAt: null,
  lastChannel: null,
  purchaseCount: 0,
  totalSpent: {},
  byChannel: {},
};

const SCALE = 1e4; // amounts carry at most 4 decimals; sum in integers to avoid float drift
const addMoney = (a: number, b: number) => Math.round(a * SCALE + b * SCALE) / SCALE;

export function withInteraction(stats: CustomerStats, interaction: Pick<Interaction, 'type' | 'channel' | 'occurredAt' | 'value'>): CustomerStats {
  const later = stats.lastInteractionAt === null || interaction.occurredAt >= stats.lastInteractionAt;
  const next: CustomerStats = {
    interactionCount: stats.interactionCount + 1,
    lastInteractionAt: later ? interaction.occurredAt : stats.lastInteractionAt,
    lastChannel: later ? interaction.channel : stats.lastChannel,
    purchaseCount: stats.purchaseCount + (interaction.type === 'purchase' ? 1 : 0),
    totalSpent: { ...stats.totalSpent },
    byChannel: { ...stats.byChannel, [interaction.channel]: (stats.byChannel[interaction.channel] ?? 0) + 1 },
  };
  const value = interaction.value;
  if (value && (interaction.type === 'purchase' || interaction.type === 'refund')) {
    const signed = interaction.type === 'refund' ? -Math.abs(value.amount) : value.amount;
    next.totalSpent[value.currency] = addMoney(next.totalSpent[value.currency] ?? 0, signed);
  }
  return next;
}

/** Stats of two customers that became one. */
export function combineStats(a: CustomerStats, b: CustomerStats): CustomerStats {
  const bLater = b.lastInteractionAt !== null && (a.lastInteractionAt === null || b.lastInteractionAt > a.lastInteractionAt);
  const totalSpent = { ...a.totalSpent };
  for (const [currency, amount] of Object.entries(b.totalSpent)) totalSpent[currency] = addMoney(totalSpent[currency] ?? 0, amount);
  const byChannel = { ...a.byChannel };
  for (const [channel, count] of Object.entries(b.byChannel) as [Channel, number][]) byChannel[channel] = (byChannel[channel] ?? 0) + count;
  return {
    interactionCount: a.interactionCount + b.interactionCount,
    lastInteractionAt: bLater ? b.lastInteractionAt : a.lastInteractionAt,
    lastChannel: bLater ? b.lastChannel : a.lastChannel,
    purchaseCount: a.purchaseCount + b.purchaseCount,
    totalSpent,
    byChannel,
  };
}

/**
 * What a change of stats adds, so a store can apply it as increments (DynamoDB ADD) that
 * concurrent writers' increments add to, instead of overwriting them. Counters and amounts only
 * grow by what `to` added to `from`; `latest` is the newest interaction when `to` moved it (a
 * maximum, not a sum: the store applies it only where it is newer than what it holds).
 */
export interface StatsIncrement {
  readonly interactionCount: number;
  readonly purchaseCount: number;
  readonly totalSpent: Readonly<Record<string, number>>;
  readonly byChannel: Readonly<Partial<Record<Channel, number>>>;
  readonly latest: { readonly at: string; readonly channel: string | null } | null;
}

export function statsIncrement(from: CustomerStats, to: CustomerStats): StatsIncrement {
  const totalSpent: Record<string, number> = {};
  for (const [currency, amount] of Object.entries(to.totalSpent)) {
    const added = addMoney(amount, -(from.totalSpent[currency] ?? 0));
    if (added !== 0) totalSpent[currency] = added;
  }
  const byChannel: Partial<Record<Channel, number>> = {};
  for (const [channel, count] of Object.entries(to.byChannel) as [Channel, number][]) {
    const added = count - (from.byChannel[channel] ?? 0);
    if (added !== 0) byChannel[channel] = added;
  }
  const moved = to.lastInteractionAt !== null && to.lastInteractionAt !== from.lastInteractionAt;
  return {
    interactionCount: to.interactionCount - from.interactionCount,
    purchaseCount: to.purchaseCount - from.purchaseCount,
    totalSpent,
    byChannel,
    latest: moved ? { at: to.lastInteractionAt!, channel: to.lastChannel } : null,
  };
}
