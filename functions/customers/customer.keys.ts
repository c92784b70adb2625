import type { Customer } from '#domain/customers/customer.schema.ts';
import type { Identity, IdentityType } from '#domain/customers/identity.ts';
import type { Interaction } from '#domain/customers/interaction.schema.ts';
import { EMPTY_STATS } from '#domain/customers/stats.ts';
import { TABLE } from '#infra/table.ts';

// Keys and item mappers for the customers context (pure; no I/O).
//   profile            pk CUSTOMER#<id>            sk PROFILE                   gsi1 CUSTOMERS / <createdAt>#<id>
//   identity owner     pk IDENTITY#<type>#<value>  sk IDENTITY                  customerId, linkedAt (uniqueness; the email reservation)
//   identity (by cust) pk CUSTOMER#<id>            sk IDENTITY#<type>#<value>   identityType, value, linkedAt
//   tag member         pk TAG#<tag>                sk <createdAt>#<id>          customerId
//   timeline entry     pk CUSTOMER#<id>            sk TL#<occurredAt>#<id>      kind, ...interaction
//   anonymous entry    pk ANON#<anonymousId>       sk TL#<occurredAt>#<id>      kept until the id is linked
//   erasure record     pk CUSTOMER#<id>            sk ERASURE                   erasedAt, anonymous stats
//   reference          pk CUSTOMER#<id>            sk REF#<pk>                  points at a record with personal data (erasure deletes it)
//   merged from        pk CUSTOMER#<target>        sk MERGED_FROM#<sourceId>    a profile merged into this one (its erasure reaches the source's remains)

const BY_CREATED = TABLE.indexes.byCreatedAt;

export const ALL_CUSTOMERS = 'CUSTOMERS';
export const TIMELINE_PREFIX = 'TL#';
export const IDENTITY_PREFIX = 'IDENTITY#';
export const REF_PREFIX = 'REF#';
export const MERGED_FROM_PREFIX = 'MERGED_FROM#';

export const customerPartition = (id: string) => `CUSTOMER#${id}`;
export const customerKey = (id: string) => ({ pk: customerPartition(id), sk: 'PROFILE' });
export const identityKey = (type: IdentityType, value: string) => ({ pk: `IDENTITY#${type}#${value}`, sk: 'IDENTITY' });
export const customerIdentityKey = (customerId: string, type: IdentityType, value: string) => ({
  pk: customerPartition(customerId),
  sk: `${IDENTITY_PREFIX}${type}#${value}`,
});
export const tagPartition = (tag: string) => `TAG#${tag}`;
export const tagKey = (tag: string, customer: Pick<Customer, 'id' | 'createdAt'>) => ({
  pk: tagPartition(tag),
  sk: `${customer.createdAt}#${customer.id}`,
});
export const anonymousPartition = (anonymousId: string) => `ANON#${anonymousId}`;
export const timelineKey = (interaction: Pick<Interaction, 'customerId' | 'anonymousId' | 'occurredAt' | 'id'>) => ({
  pk: interaction.customerId ? customerPartition(interaction.customerId) : anonymousPartition(interaction.anonymousId!),
  sk: `${TIMELINE_PREFIX}${interaction.occurredAt}#${interaction.id}`,
});
export const erasureKey = (id: string) => ({ pk: customerPartition(id), sk: 'ERASURE' });
export const refKey = (customerId: string, targetPk: string) => ({ pk: customerPartition(customerId), sk: `${REF_PREFIX}${targetPk}` });
export const mergedFromKey = (targetId: string, sourceId: string) => ({ pk: customerPartition(targetId), sk: `${MERGED_FROM_PREFIX}${sourceId}` });


export function toProfileItem(customer: Customer): Record<string, unknown> {
  return {
    ...customerKey(customer.id),
    type: 'Customer',
    [BY_CREATED.partitionKey]: ALL_CUSTOMERS,
    [BY_CREATED.sortKey]: `${customer.createdAt}#${customer.id}`,
    id: customer.id,
    email: customer.email,
    firstName: customer.firstName ?? undefined,
    lastName: customer.lastName ?? undefined,
    phone: customer.phone ?? undefined,
    locale: customer.locale ?? undefined,
    timezone: customer.timezone ?? undefined,
    attributes: customer.attributes,
    tags: customer.tags,
    stats: customer.stats,
    statsRevision: customer.statsRevision,
    createdAt: customer.createdAt,
    updatedAt: customer.updatedAt,
    version: customer.version,
  };
}

export function fromProfileItem(item: Record<string, unknown>): Customer {
  const text = (name: string) => (typeof item[name] === 'string' ? (item[name] as string) : null);
  return {
    id: String(item.id),
    email: typeof item.email === 'string' ? item.email : '',
    firstName: text('firstName'),
    lastName: text('lastName'),
    phone: text('phone'),
    locale: text('locale'),
    timezone: text('timezone'),
    attributes: (item.attributes ?? {}) as Customer['attributes'],
    tags: (item.tags ?? []) as string[],
    // Profiles stored before a stat existed read it as empty (byChannel came with segments).
    stats: { ...EMPTY_STATS, ...(item.stats as Partial<Customer['stats']> | undefined) },
    statsRevision: Number(item.statsRevision ?? 0),
    mergedInto: text('mergedInto'),
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
    version: Number(item.version),
  };
}

export function toIdentityOwnerItem(type: IdentityType, value: string, customerId: string, linkedAt: string) {
  return { ...identityKey(type, value), type: 'IdentityOwner', identityType: type, value, customerId, linkedAt };
}

export function toCustomerIdentityItem(type: IdentityType, value: string, customerId: string, linkedAt: string) {
  return { ...customerIdentityKey(customerId, type, value), type: 'Identity', identityType: type, value, customerId, linkedAt };
}

export function fromIdentityItem(item: Record<string, unknown>): Identity {
  return {
    type: item.identityType as IdentityType,
    value: String(item.value),
    customerId: String(item.customerId),
    linkedAt: String(item.linkedAt),
  };
}

export function toTagItem(tag: string, customer: Pick<Customer, 'id' | 'createdAt'>) {
  return { ...tagKey(tag, customer), type: 'CustomerTag', customerId: customer.id };
}

export function toInteractionItem(interaction: Interaction): Record<string, unknown> {
  return {
    ...timelineKey(interaction),
    type: interaction.kind === 'interaction' ? 'Interaction' : 'TimelineEntry',
    kind: interaction.kind,
    id: interaction.id,
    customerId: interaction.customerId ?? undefined,
    anonymousId: interaction.anonymousId ?? undefined,
    channel: interaction.channel,
    interactionType: interaction.type,
    direction: interaction.direction ?? undefined,
    occurredAt: interaction.occurredAt,
    recordedAt: interaction.recordedAt,
    summary: interaction.summary ?? undefined,
    data: interaction.data,
    value: interaction.value ?? undefined,
  };
}

export function fromInteractionItem(item: Record<string, unknown>): Interaction {
  const text = (name: string) => (typeof item[name] === 'string' ? (item[name] as string) : null);
  return {
    kind: (text('kind') ?? 'interaction') as Interaction['kind'],
    id: String(item.id),
    customerId: text('customerId'),
    anonymousId: text('anonymousId'),
    channel: item.channel as Interaction['channel'],
    type: String(item.interactionType),
    direction: (text('direction') as Interaction['direction']) ?? null,
    occurredAt: String(item.occurredAt),
    recordedAt: String(item.recordedAt),
    summary: text('summary'),
    data: (item.data ?? {}) as Interaction['data'],
    value: (item.value ?? null) as Interaction['value'],
  };
}
