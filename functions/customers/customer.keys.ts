import type { Customer } from '#domain/customers/customer.schema.ts';
import { TABLE } from '#infra/table.ts';

// Keys and item mappers for the customers context (pure; no I/O).
//   profile      pk CUSTOMER#<id>   sk PROFILE          gsi1 CUSTOMERS / <createdAt>#<id>
//   email owner  pk EMAIL#<email>   sk EMAIL            customerId
//   tag member   pk TAG#<tag>       sk <createdAt>#<id> customerId

const BY_CREATED = TABLE.indexes.customersByCreatedAt;

export const customerKey = (id: string) => ({ pk: `CUSTOMER#${id}`, sk: 'PROFILE' });
export const emailKey = (email: string) => ({ pk: `EMAIL#${email}`, sk: 'EMAIL' });
export const tagKey = (tag: string, customer: Pick<Customer, 'id' | 'createdAt'>) => ({
  pk: `TAG#${tag}`,
  sk: `${customer.createdAt}#${customer.id}`,
});
export const tagPartition = (tag: string) => `TAG#${tag}`;
export const ALL_CUSTOMERS = 'CUSTOMERS';

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
    createdAt: customer.createdAt,
    updatedAt: customer.updatedAt,
    version: customer.version,
  };
}

export function fromProfileItem(item: Record<string, unknown>): Customer {
  const text = (name: string) => (typeof item[name] === 'string' ? (item[name] as string) : null);
  return {
    id: String(item.id),
    email: String(item.email),
    firstName: text('firstName'),
    lastName: text('lastName'),
    phone: text('phone'),
    locale: text('locale'),
    timezone: text('timezone'),
    attributes: (item.attributes ?? {}) as Customer['attributes'],
    tags: (item.tags ?? []) as string[],
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
    version: Number(item.version),
  };
}

export function toEmailItem(customer: Pick<Customer, 'id' | 'email'>) {
  return { ...emailKey(customer.email), type: 'EmailReservation', customerId: customer.id };
}

export function toTagItem(tag: string, customer: Pick<Customer, 'id' | 'createdAt'>) {
  return { ...tagKey(tag, customer), type: 'CustomerTag', customerId: customer.id };
}
