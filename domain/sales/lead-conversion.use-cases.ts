import { ConcurrentUpdateError, ConflictError, CustomerBeingErasedError, CustomerErasedError, StaleVersionError } from '../shared/errors.ts';
import type { Actor, Clock, CommandContext, IdGenerator } from '../shared/ports.ts';
import { LeadNotFoundError } from './lead.ts';
import type { LeadRepository } from './lead.repository.ts';
import { accountChoice, checkConvertible, checkPartnerConversion, type CustomerChoice, planConversion } from './lead-conversion.ts';
import type { LeadConversionStore } from './lead-conversion.ports.ts';
import type { LeadConversionInput, LeadConversionResult } from './lead-conversion.schema.ts';
import type { Lead } from './lead.schema.ts';
import { UnknownOpportunityAccountError } from './opportunity.ts';
import { UnknownStageError } from './pipeline-stages.ts';
import { type SalesViewer, visibleOr } from './partner-scope.ts';

export interface LeadConversionDeps {
  readonly leads: Pick<LeadRepository, 'get'>;
  readonly store: LeadConversionStore;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** Rounds of a lost race (the lead, its customer or the contact link changed meanwhile) before a 409. */
const MAX_ATTEMPTS = 10;
/** Merges followed from the lead's customer to where it went (a merge chain is short; a longer one is a loop). */
const MAX_MERGE_HOPS = 10;

export function leadConversionUseCases({ leads, store, clock, ids }: LeadConversionDeps) {
  /** Where a customer is now (merges followed); undefined when it was never there. Erasure stops a conversion (409). */
  async function current(customerId: string): Promise<string | undefined> {
    let id = customerId;
    for (let hop = 0; hop < MAX_MERGE_HOPS; hop++) {
      const state = await store.customerState(id);
      if (state.kind === 'live') return id;
      if (state.kind === 'missing') return undefined;
      if (state.kind === 'being-erased') throw new CustomerBeingErasedError(id);
      if (state.kind === 'erased') throw new CustomerErasedError(id);
      id = state.into;
    }
    throw new ConflictError(`Customer ${customerId} was merged more than ${MAX_MERGE_HOPS} times over; convert the lead again later.`);
  }

  /**
   * The lead's own customer if it is still there; else the customer of the lead's email; else a
   * new one. A customer being erased, or erased, is not converted into: the person's data must not
   * come back.
   */
  async function customerFor(lead: Lead): Promise<CustomerChoice> {
    const linked = lead.customerId ? await current(lead.customerId) : undefined;
    if (linked) return { existing: linked };
    const owner = await store.customerOfEmail(lead.email);
    const found = owner ? await current(owner) : undefined;
    return found ? { existing: found } : { create: true };
  }

  return {
    /**
     * POST /leads/{id}/convert. flow: 1. an Idempotency-Key used before answers its first result
     * 2. partner rules, the lead (a partner's own only), convertible, If-Match 3. the customer, the
     * account, the link as they are 4. the plan (lead-conversion.ts) 5. one transaction; a lost race
     * reads again and replans, so two converts at once end in one conversion and one 409.
     */
    async convert(id: string, input: LeadConversionInput, viewer: SalesViewer, actor: Actor, ifMatch: number | undefined, context: CommandContext): Promise<LeadConversionResult> {
      const claim = context.idempotency;
      const first = claim ? await store.replay(claim) : undefined;
      if (first) return first;
      checkPartnerConversion(viewer, input);
      for (let attempt = 1; ; attempt++) {
        const lead = visibleOr(viewer, await leads.get(id), () => new LeadNotFoundError(id));
        // A converted lead is a 409 whatever the If-Match: the loser of two converts learns why.
        checkConvertible(lead);
        if (ifMatch !== undefined && ifMatch !== lead.version) throw new StaleVersionError(ifMatch, lead.version);
        const account = accountChoice(lead, input);
        const customer = await customerFor(lead);
        const existingContact = 'existing' in customer && 'link' in account ? await store.contact(account.link, customer.existing) : undefined;
        const pipeline = input.opportunity ? await store.pipeline() : undefined;
        const plan = planConversion(lead, input, {
          customer,
          account,
          existingContact,
          ids: { customer: ids.next(), account: ids.next(), opportunity: ids.next() },
          actorId: actor.id,
          now: clock.now(),
          ...(pipeline ? { pipeline } : {}),
        });
        const refused = await store.commit(plan, context);
        if (!refused) return plan.result;
        if (refused === 'unknown-account') throw new UnknownOpportunityAccountError(input.accountId ?? '');
        if (refused === 'unknown-stage') throw new UnknownStageError(plan.opportunity?.stage ?? '');
        if (refused === 'key-used' && claim) {
          const stored = await store.replay(claim);
          if (stored) return stored;
        }
        if (attempt >= MAX_ATTEMPTS) throw new ConcurrentUpdateError();
      }
    },
  };
}

export type LeadConversionUseCases = ReturnType<typeof leadConversionUseCases>;
