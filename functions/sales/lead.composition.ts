import type { LeadConsents, LeadCustomers } from '#domain/sales/lead.repository.ts';
import { leadUseCases } from '#domain/sales/lead.use-cases.ts';
import { lazyPort } from '../shared/lazy.ts';
import { dynamoRateLimiter, type RateLimit } from '../shared/rate-limit.ts';
import { dynamoLeadRepository } from './lead.dynamodb-repository.ts';
import type { SalesInfra } from './sales.infra.ts';

// How the leads part is built: its repository, and the customers and consent contexts' own use
// cases behind the two small ports leads need (lead-customers.composition.ts). Only creating and
// capturing a lead reach those contexts, so their code loads on the first such request, not with
// every read of a lead (nor in the lead erasure function).

/** The web form: 5 captures a minute per address. */
export const CAPTURE_LIMIT: RateLimit = { scope: 'lead-capture', limit: 5, windowSeconds: 60 };

export function leadAppFor(infra: SalesInfra) {
  const customers = lazyPort<LeadCustomers>(async () => (await import('./lead-customers.composition.ts')).leadCustomersFor(infra));
  const consents = lazyPort<LeadConsents>(async () => (await import('./lead-customers.composition.ts')).leadConsentsFor(infra));
  return {
    leads: leadUseCases({ leads: dynamoLeadRepository(infra), customers, consents, clock: infra.clock, ids: infra.ids }),
    captureLimit: dynamoRateLimiter(infra, CAPTURE_LIMIT),
  };
}
