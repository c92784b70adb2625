import { CASE_STATUSES, PRIORITIES } from '#domain/cases/case.schema.ts';
import { CHANNELS, TIMELINE_KINDS } from '#domain/customers/interaction.schema.ts';
import { CONSENT_STATES } from '#domain/consent/consent.schema.ts';
import { OUTCOMES } from '#domain/campaigns/campaign.schema.ts';


// The warehouse's rows (issue 13): what of a table item may leave the CRM for analysis.
//
// Every row is built by naming the columns it keeps (never by copying an item and deleting fields),
// so a field added to an item later stays out until somebody adds a column here. A row holds no
// names, emails, phones, addresses or free text (subjects, descriptions, summaries, comments,
// notes, tags, data payloads): customers appear only under a pseudonym, a random id the export
// keeps in the customer's own partition, so erasure deletes the only way back to the person.
// Category-like strings that callers choose (an interaction's type, a queue, a topic) are kept only
// when they look like codes with no long run of digits; ids and skus when they look like codes;
// anything else reads as `other`, so text typed in the wrong field cannot leak.

const DIRECTIONS = ['inbound', 'outbound'] as const;

export const WAREHOUSE_TABLES = ['customers', 'interactions', 'cases', 'consents', 'campaign_sends', 'opportunities'] as const;
export type WarehouseTable = (typeof WAREHOUSE_TABLES)[number];

export type ColumnType = 'string' | 'double' | 'int' | 'boolean' | 'timestamp';
export interface Column {
  readonly name: string;
  readonly type: ColumnType;
}

export type CellValue = string | number | boolean | null;
export type WarehouseRow = Readonly<Record<string, CellValue>>;

/** The columns of each table, in file order (the Parquet writer and the Glue tables both read them). Timestamps are ISO strings here. */
export const WAREHOUSE_COLUMNS: Readonly<Record<WarehouseTable, readonly Column[]>> = {
  customers: columns({ pseudonym: 'string', status: 'string', tag_count: 'int', interaction_count: 'int', purchase_count: 'int', created_at: 'timestamp', updated_at: 'timestamp', version: 'int' }),
  interactions: columns({
    interaction_id: 'string',
    pseudonym: 'string',
    kind: 'string',
    channel: 'string',
    type: 'string',
    direction: 'string',
    amount: 'double',
    currency: 'string',
    skus: 'string',
    occurred_at: 'timestamp',
    recorded_at: 'timestamp',
  }),
  cases: columns({
    case_id: 'string',
    pseudonym: 'string',
    queue: 'string',
    priority: 'string',
    status: 'string',
    channel: 'string',
    escalation_level: 'int',
    first_response_breached: 'boolean',
    resolution_breached: 'boolean',
    satisfaction_score: 'int',
    created_at: 'timestamp',
    first_responded_at: 'timestamp',
    solved_at: 'timestamp',
    closed_at: 'timestamp',
    updated_at: 'timestamp',
    version: 'int',
  }),
  consents: columns({ pseudonym: 'string', topic: 'string', state: 'string', updated_at: 'timestamp' }),
  campaign_sends: columns({ campaign_id: 'string', pseudonym: 'string', outcome: 'string', reason: 'string', at: 'timestamp' }),
  opportunities: columns({
    opportunity_id: 'string',
    account_id: 'string',
    stage: 'string',
    probability: 'int',
    amount: 'double',
    currency: 'string',
    product_count: 'int',
    close_date: 'string',
    created_at: 'timestamp',
    updated_at: 'timestamp',
    version: 'int',
  }),
};

function columns(spec: Record<string, ColumnType>): Column[] {
  return Object.entries(spec).map(([name, type]) => ({ name, type }));
}

/**
 * What the export does with one table item: the table it belongs to, the customer whose pseudonym
 * the row needs (null: none), the row's partition day, and the row once the pseudonym is known.
 */
export interface WarehouseRecord {
  readonly table: WarehouseTable;
  readonly customerId: string | null;
  readonly date: string;
  row(pseudonym: string | null): WarehouseRow;
}

/** A code: letters, digits and `_ . : / -`, at most 64, starting with a letter or digit (no spaces, no @, no +). */
const CODE = /^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,63}$/;
/** Ids the CRM generated and product skus (EANs are digits): codes, else `other`. */
const code = (value: unknown): string | null => {
  if (typeof value !== 'string' || value === '') return null;
  return CODE.test(value) ? value : 'other';
};
/** A category a caller names (interaction type, queue, topic, reason): a code that is not a phone number or another long run of digits. */
const safeCode = (value: unknown): string | null => {
  const kept = code(value);
  return kept !== null && /\d{5,}/.test(kept) ? 'other' : kept;
};
const ISO_CURRENCY = /^[A-Z]{3}$/;
const currencyOf = (value: unknown) => (typeof value === 'string' && ISO_CURRENCY.test(value) ? value : null);
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const instant = (value: unknown) => (typeof value === 'string' && ISO_INSTANT.test(value) ? value : null);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const dayOf = (value: unknown) => (typeof value === 'string' && ISO_DATE.test(value.slice(0, 10)) ? value.slice(0, 10) : null);
const finite = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const integer = (value: unknown) => (typeof value === 'number' && Number.isInteger(value) ? value : null);
const oneOf = <T extends string>(value: unknown, allowed: readonly T[]) => (allowed.includes(value as T) ? (value as T) : null);
const record = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
const count = (value: unknown) => (Array.isArray(value) ? value.length : 0);

/** A purchase's amount: the sum of its items (unit price x quantity), else `data.amount`, else the interaction's value. */
export function purchaseAmount(data: Record<string, unknown>, value: Record<string, unknown>): number | null {
  if (Array.isArray(data.items) && data.items.length > 0) {
    let total = 0;
    for (const entry of data.items) {
      const line = record(entry);
      const price = finite(line.unitPrice);
      const quantity = finite(line.quantity) ?? 1;
      if (price === null) return finite(data.amount) ?? finite(value.amount);
      total += price * quantity;
    }
    return Math.round(total * 1e4) / 1e4;
  }
  return finite(data.amount) ?? finite(value.amount);
}

function skusOf(data: Record<string, unknown>): string | null {
  if (!Array.isArray(data.items)) return null;
  const skus = data.items.map((entry) => code(record(entry).sku)).filter((sku): sku is string => sku !== null);
  return skus.length > 0 ? [...new Set(skus)].sort().join(',') : null;
}

const CUSTOMER = /^CUSTOMER#(.+)$/;
const CONSENT = /^CONSENT#(.+)$/;

/** The warehouse record of a table item as it is now (a new image), or null: the item is not exported. */
export function warehouseRecordOf(item: Record<string, unknown>): WarehouseRecord | null {
  const pk = typeof item.pk === 'string' ? item.pk : '';
  const sk = typeof item.sk === 'string' ? item.sk : '';
  const customer = CUSTOMER.exec(pk)?.[1];
  if (customer !== undefined) {
    if (sk === 'PROFILE') return customerRecord(customer, item);
    if (sk.startsWith('TL#')) return interactionRecord(customer, item);
    if (sk.startsWith('CAMPAIGN#')) return sendRecord(customer, sk.slice('CAMPAIGN#'.length), item);
    return null;
  }
  const consentOf = CONSENT.exec(pk)?.[1];
  if (consentOf !== undefined && sk.startsWith('STATE#')) return consentRecord(consentOf, sk.slice('STATE#'.length), item);
  if (pk.startsWith('CASE#') && sk === 'CASE') return caseRecord(record(item.data));
  if (pk.startsWith('OPPORTUNITY#') && sk === 'OPPORTUNITY') return opportunityRecord(record(item.data));
  return null;
}

function customerRecord(customerId: string, item: Record<string, unknown>): WarehouseRecord | null {
  const updatedAt = instant(item.updatedAt);
  if (!updatedAt) return null;
  const stats = record(item.stats);
  const status = item.erasingSince ? 'erasing' : item.mergedInto ? 'merged' : 'active';
  return {
    table: 'customers',
    customerId,
    date: updatedAt.slice(0, 10),
    row: (pseudonym) => ({
      pseudonym,
      status,
      tag_count: count(item.tags),
      interaction_count: integer(stats.interactionCount),
      purchase_count: integer(stats.purchaseCount),
      created_at: instant(item.createdAt),
      updated_at: updatedAt,
      version: integer(item.version),
    }),
  };
}

function interactionRecord(customerId: string, item: Record<string, unknown>): WarehouseRecord | null {
  const occurredAt = instant(item.occurredAt);
  if (!occurredAt || typeof item.id !== 'string') return null;
  const data = record(item.data);
  const value = record(item.value);
  const type = safeCode(item.interactionType);
  return {
    table: 'interactions',
    customerId,
    date: occurredAt.slice(0, 10),
    row: (pseudonym) => ({
      interaction_id: code(item.id),
      pseudonym,
      kind: oneOf(item.kind, TIMELINE_KINDS) ?? 'other',
      channel: oneOf(item.channel, CHANNELS),
      type,
      direction: oneOf(item.direction, DIRECTIONS),
      amount: purchaseAmount(data, value),
      currency: currencyOf(data.currency) ?? currencyOf(value.currency),
      skus: skusOf(data),
      occurred_at: occurredAt,
      recorded_at: instant(item.recordedAt),
    }),
  };
}

function sendRecord(customerId: string, campaignId: string, item: Record<string, unknown>): WarehouseRecord | null {
  const at = instant(item.at);
  if (!at) return null;
  return {
    table: 'campaign_sends',
    customerId,
    date: at.slice(0, 10),
    row: (pseudonym) => ({ campaign_id: code(campaignId), pseudonym, outcome: oneOf(item.outcome, OUTCOMES) ?? safeCode(item.outcome), reason: safeCode(item.reason), at }),
  };
}

function consentRecord(customerId: string, topic: string, item: Record<string, unknown>): WarehouseRecord | null {
  const updatedAt = instant(item.updatedAt);
  if (!updatedAt) return null;
  return {
    table: 'consents',
    customerId,
    date: updatedAt.slice(0, 10),
    row: (pseudonym) => ({ pseudonym, topic: safeCode(topic), state: oneOf(item.state, CONSENT_STATES) ?? safeCode(item.state), updated_at: updatedAt }),
  };
}

function caseRecord(c: Record<string, unknown>): WarehouseRecord | null {
  const updatedAt = instant(c.updatedAt);
  if (!updatedAt || typeof c.id !== 'string' || typeof c.customerId !== 'string') return null;
  const breaches = Array.isArray(record(c.sla).breaches) ? (record(c.sla).breaches as unknown[]).map((b) => record(b).milestone) : [];
  return {
    table: 'cases',
    customerId: c.customerId,
    date: updatedAt.slice(0, 10),
    row: (pseudonym) => ({
      case_id: code(c.id),
      pseudonym,
      queue: safeCode(c.queue),
      priority: oneOf(c.priority, PRIORITIES),
      status: oneOf(c.status, CASE_STATUSES),
      channel: oneOf(c.channel, CHANNELS),
      escalation_level: integer(c.escalationLevel),
      first_response_breached: breaches.includes('firstResponse'),
      resolution_breached: breaches.includes('resolution'),
      satisfaction_score: integer(record(c.satisfaction).score),
      created_at: instant(c.createdAt),
      first_responded_at: instant(c.firstRespondedAt),
      solved_at: instant(c.solvedAt),
      closed_at: instant(c.closedAt),
      updated_at: updatedAt,
      version: integer(c.version),
    }),
  };
}

function opportunityRecord(o: Record<string, unknown>): WarehouseRecord | null {
  const updatedAt = instant(o.updatedAt);
  if (!updatedAt || typeof o.id !== 'string') return null;
  return {
    table: 'opportunities',
    customerId: null,
    date: updatedAt.slice(0, 10),
    row: () => ({
      opportunity_id: code(o.id),
      account_id: code(o.accountId),
      stage: safeCode(o.stage),
      probability: integer(o.probability),
      amount: finite(o.amount),
      currency: currencyOf(o.currency),
      product_count: count(o.products),
      close_date: dayOf(o.closeDate),
      created_at: instant(o.createdAt),
      updated_at: updatedAt,
      version: integer(o.version),
    }),
  };
}
