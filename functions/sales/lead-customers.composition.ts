import { customerUseCases } from '#domain/customers/customer.use-cases.ts';
import type { LeadConsents, LeadCustomers } from '#domain/sales/lead.repository.ts';
import { EmailTakenError, UnknownTopicError } from '#domain/shared/errors.ts';
import { consentRecordsFor } from '../consent/consent.composition.ts';
import { dynamoCustomerRepository } from '../customers/customer.dynamodb-repository.ts';
import type { SalesInfra } from './sales.infra.ts';

// The customers and consent contexts' own use cases behind the two small ports leads need (so a
// capture creates customers and starts the double opt-in exactly as POST /customers and
// POST /customers/{id}/consents do). Loaded by lead.composition.ts on the first call of either.

export function leadCustomersFor(infra: SalesInfra): LeadCustomers {
  const repository = dynamoCustomerRepository(infra);
  const customers = customerUseCases({ customers: repository, clock: infra.clock, ids: infra.ids });
  const byEmail = async (email: string) => (await repository.findByIdentity('email', email))?.id;
  return {
    byEmail,
    async ensure(person, context) {
      try {
        const input = { email: person.email, ...(person.firstName ? { firstName: person.firstName } : {}), ...(person.lastName ? { lastName: person.lastName } : {}), attributes: { source: 'lead' } };
        return (await customers.create(input, { correlationId: context.correlationId })).customer.id;
      } catch (error) {
        // Another request created the customer of this email meanwhile: link that one.
        const found = error instanceof EmailTakenError ? await byEmail(person.email) : undefined;
        if (!found) throw error;
        return found;
      }
    },
  };
}

export function leadConsentsFor(infra: SalesInfra): LeadConsents {
  const consent = consentRecordsFor(infra);
  return {
    async request(customerId, topic, origin, baseUrl, context) {
      try {
        await consent.command(customerId, { action: 'request', topic, source: 'form', ...origin }, { roles: [] }, baseUrl, { correlationId: context.correlationId });
        return true;
      } catch (error) {
        if (error instanceof UnknownTopicError) return false;
        throw error;
      }
    },
  };
}
