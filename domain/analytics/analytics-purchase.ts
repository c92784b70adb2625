import * as z from '#domain/shared/zod.ts';

// What analytics keeps of a purchase: its day, its value and its currency. The customers context
// accepts any data on a `purchase` interaction, so the value is read leniently: the items' unit
// price times quantity when every item has a price (an order line), else a plain `amount` (how the
// CDNOW sample loads: one dollar value per purchase); neither is not a purchase for analytics.

export interface AnalyticsPurchase {
  readonly customerId: string;
  readonly interactionId: string;
  /** The calendar day of the purchase (UTC), YYYY-MM-DD. */
  readonly day: string;
  readonly amount: number;
  /** ISO 4217. */
  readonly currency: string;
}

const Money = z.onFirstUse(() => z.number().check(z.gte(0)));
const Currency = z.onFirstUse(() => z.string().check(z.regex(/^[A-Z]{3}$/)));
const OrderLines = z.onFirstUse(() => z.object({
  items: z.array(z.object({ unitPrice: Money, quantity: z.optional(z.number().check(z.gt(0))) })).check(z.minLength(1)),
  currency: z.optional(Currency),
}));
const PlainAmount = z.onFirstUse(() => z.object({ amount: Money, currency: z.optional(Currency) }));

/** Rounded to cents: sums of float prices must not show 0.30000000000000004. */
const cents = (value: number) => Math.round(value * 100) / 100;

/** The value and currency of a purchase interaction's data, or undefined when it carries neither order lines with prices nor an amount. */
export function purchaseValueOf(data: unknown, defaultCurrency: string): { amount: number; currency: string } | undefined {
  const lines = OrderLines.safeParse(data);
  if (lines.success) {
    const amount = lines.data.items.reduce((sum, item) => sum + item.unitPrice * (item.quantity ?? 1), 0);
    if (Number.isFinite(amount)) return { amount: cents(amount), currency: lines.data.currency ?? defaultCurrency };
  }
  const plain = PlainAmount.safeParse(data);
  if (plain.success && Number.isFinite(plain.data.amount)) return { amount: cents(plain.data.amount), currency: plain.data.currency ?? defaultCurrency };
  return undefined;
}

/** The UTC calendar day of an ISO 8601 instant. */
export const dayOf = (occurredAt: string) => new Date(occurredAt).toISOString().slice(0, 10);
