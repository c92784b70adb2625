import { CustomerCreated } from '#events/customer-created.event.ts';
import { CustomerErased } from '#events/customer-erased.event.ts';
import { CustomersMerged } from '#events/customers-merged.event.ts';
import { CustomerUpdated } from '#events/customer-updated.event.ts';
import type { DomainEvent } from '#events/define-event.ts';
import { ValidationError } from '../shared/errors.ts';
import { combineStats, EMPTY_STATS } from './stats.ts';
import {
  type CreateCustomerInput,
  type Customer,
  type CustomerPatch,
  MAX_ATTRIBUTES,
  MAX_TAGS,
  MUTABLE_FIELDS,
  type MutableField,
  NULLABLE_FIELDS,
} from './customer.schema.ts';

// Entity commands: each returns the new state and the events it causes; the use case persists
// both in one transaction.

export interface Changed<T> {
  readonly customer: T;
  readonly events: DomainEvent[];
}

export function createCustomer(input: CreateCustomerInput, id: string, now: Date): Changed<Customer> {
  const at = now.toISOString();
  const customer: Customer = {
    id,
    email: input.email,
    firstName: input.firstName ?? null,
    lastName: input.lastName ?? null,
    phone: input.phone ?? null,
    locale: input.locale ?? null,
    timezone: input.timezone ?? null,
    attributes: input.attributes ?? {},
    tags: input.tags ?? [],
    stats: EMPTY_STATS,
    statsRevision: 0,
    mergedInto: null,
    createdAt: at,
    updatedAt: at,
    version: 1,
  };
  const fields = MUTABLE_FIELDS.filter((f) => input[f] !== undefined);
  return { customer, events: [CustomerCreated.of({ customerId: id, fields })] };
}

export interface PatchResult extends Changed<Customer> {
  readonly changed: MutableField[];
}

/** Applies a JSON merge patch; an empty or no-op patch changes nothing and raises no event. */
export function patchCustomer(current: Customer, patch: CustomerPatch, now: Date): PatchResult {
  const next: Customer = { ...current };
  if (patch.email !== undefined) next.email = patch.email;
  for (const field of NULLABLE_FIELDS) {
    const value = patch[field];
    if (value !== undefined) next[field] = value;
  }
  if (patch.attributes === null) next.attributes = {};
  else if (patch.attributes !== undefined) next.attributes = mergeAttributes(current.attributes, patch.attributes);
  if (patch.tags !== undefined) next.tags = patch.tags ?? [];

  const changed = MUTABLE_FIELDS.filter((f) => !sameValue(current[f], next[f]));
  if (changed.length === 0) return { customer: current, changed, events: [] };
  next.version = current.version + 1;
  next.updatedAt = now.toISOString();
  return {
    customer: next,
    changed,
    events: [CustomerUpdated.of({ customerId: current.id, changed, version: next.version })],
  };
}

/** `mergedFrom`: the profiles merged into this one over time; their remains are erased with it. */
export function eraseCustomer(current: Pick<Customer, 'id'>, mergedFrom: readonly string[] = [], caseIds: readonly string[] = []): DomainEvent[] {
  return [CustomerErased.of({ customerId: current.id, mergedFrom: [...mergedFrom], ...(caseIds.length ? { caseIds: [...caseIds] } : {}) })];
}

/**
 * The target absorbs the source: the target's fields win, empty ones are filled from the source,
 * tags and attributes are united (within their limits), stats add up. The source keeps only a
 * pointer to the target.
 */
export function mergeCustomers(target: Customer, source: Customer, now: Date): { target: Customer; source: Customer; events: DomainEvent[] } {
  const at = now.toISOString();
  const attributes = { ...target.attributes };
  for (const [key, value] of Object.entries(source.attributes)) {
    if (!(key in attributes) && Object.keys(attributes).length < MAX_ATTRIBUTES) attributes[key] = value;
  }
  const merged: Customer = {
    ...target,
    attributes,
    tags: [...new Set([...target.tags, ...source.tags])].slice(0, MAX_TAGS),
    stats: combineStats(target.stats, source.stats),
    statsRevision: target.statsRevision + 1,
    updatedAt: at,
    version: target.version + 1,
  };
  const tombstone: Customer = {
    ...source,
    email: '',
    attributes: {},
    tags: [],
    stats: EMPTY_STATS,
    statsRevision: source.statsRevision + 1,
    mergedInto: target.id,
    updatedAt: at,
    version: source.version + 1,
  };
  for (const field of NULLABLE_FIELDS) {
    merged[field] = target[field] ?? source[field];
    tombstone[field] = null;
  }
  return { target: merged, source: tombstone, events: [CustomersMerged.of({ targetId: target.id, sourceId: source.id })] };
}

export function mergeAttributes(
  current: Customer['attributes'],
  patch: Record<string, string | number | boolean | null>,
): Customer['attributes'] {
  const merged: Customer['attributes'] = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  if (Object.keys(merged).length > MAX_ATTRIBUTES) {
    throw new ValidationError('Too many attributes.', [
      { path: 'attributes', message: `at most ${MAX_ATTRIBUTES} attributes after the merge` },
    ]);
  }
  return merged;
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)));
}
