import type { DomainEvent } from '#events/define-event.ts';
import { LeadConverted } from '#events/lead-converted.event.ts';
import { createCustomer } from '../customers/customer.ts';
import type { Customer } from '../customers/customer.schema.ts';
import { ConflictError, ForbiddenActionError, UnprocessableError, ValidationError } from '../shared/errors.ts';
import { createAccount } from './account.ts';
import type { Account, Contact } from './account.schema.ts';
import { LeadStatusMoveError } from './lead.ts';
import type { Lead } from './lead.schema.ts';
import type { LeadConversionInput, LeadConversionResult } from './lead-conversion.schema.ts';
import { createOpportunity } from './opportunity.ts';
import type { Opportunity } from './opportunity.schema.ts';
import type { SalesViewer } from './partner-scope.ts';
import type { PipelineStages } from './pipeline-stages.ts';

// Converting a lead (pure): which leads may be converted, which account it goes to, and the one
// plan of everything the conversion writes (customer, account, contact link, opportunity, the
// converted lead and their events), which the store commits in one transaction.

/** Converting twice is refused: the first conversion's customer and account are where the lead went. */
export class LeadConvertedError extends ConflictError {
  override readonly code = 'lead-converted';
  constructor(lead: Pick<Lead, 'id' | 'conversion'>) {
    const to = lead.conversion ? ` to customer ${lead.conversion.customerId} on account ${lead.conversion.accountId}` : '';
    super(`Lead ${lead.id} was converted already${to}.`);
  }
}

/** Neither accountId nor accountName, and the lead has no company to name a new account after. */
export class NoAccountNameError extends UnprocessableError {
  constructor() {
    super('The lead has no company to name its account after: give accountName (a new account) or accountId (an existing one).');
  }
}

/**
 * A partner user converts only into the account the conversion creates (partners do not see
 * accounts) and does not hand opportunities to other people (the owner is the lead's or its own).
 */
export function checkPartnerConversion(viewer: SalesViewer, input: LeadConversionInput): void {
  if (viewer.kind !== 'partner') return;
  if (input.accountId !== undefined) throw new ForbiddenActionError('Partner users cannot link an existing account (they do not see accounts); leave accountId out and the conversion creates one.');
  if (input.opportunity?.ownerId !== undefined) throw new ForbiddenActionError("Partner users cannot choose the opportunity's owner (opportunity.ownerId); it is the lead's owner.");
}

/** new, working and qualified leads convert; a converted one is done (409 lead-converted), a disqualified one must be reopened first. */
export function checkConvertible(lead: Lead): void {
  if (lead.status === 'converted') throw new LeadConvertedError(lead);
  if (lead.status === 'disqualified') throw new LeadStatusMoveError('disqualified', 'converted');
}

export type AccountChoice = { readonly link: string } | { readonly create: string };

/** accountId links, accountName creates, neither creates one named after the lead's company. */
export function accountChoice(lead: Pick<Lead, 'company'>, input: Pick<LeadConversionInput, 'accountId' | 'accountName'>): AccountChoice {
  if (input.accountId !== undefined && input.accountName !== undefined) {
    throw new ValidationError('Give accountId (link an existing account) or accountName (create one), not both.', [{ path: 'accountName', message: 'must not be given with accountId' }]);
  }
  if (input.accountId !== undefined) return { link: input.accountId };
  const name = input.accountName ?? lead.company;
  if (!name) throw new NoAccountNameError();
  return { create: name };
}

/** The customer a conversion lands on: an existing one (the lead's link, or its email's), or a new one. */
export type CustomerChoice = { readonly existing: string } | { readonly create: true };

/** Everything one conversion writes, in one transaction (lead-conversion.ports.ts). */
export interface ConversionPlan {
  /** The lead as read (its version is checked) and as converted. */
  readonly previous: Lead;
  readonly lead: Lead;
  readonly customer: { readonly created: Customer } | { readonly existing: string };
  readonly account: { readonly created: Account } | { readonly existing: string };
  /** The contact link account <-> customer; `existed`: it was there when read (kept, with its role). */
  readonly contact: Contact;
  readonly contactExisted: boolean;
  readonly opportunity: Opportunity | null;
  /** By what they belong to, so that each part's item builder commits its own. */
  readonly events: { readonly customer: DomainEvent[]; readonly account: DomainEvent[]; readonly opportunity: DomainEvent[]; readonly lead: DomainEvent[] };
  /** The answer, also what an Idempotency-Key replay answers. */
  readonly result: LeadConversionResult;
}

export interface PlanContext {
  readonly customer: CustomerChoice;
  readonly account: AccountChoice;
  /** The link as it is, when both the customer and the account existed already. */
  readonly existingContact: Contact | undefined;
  /** Ids for what the conversion may create. */
  readonly ids: { readonly customer: string; readonly account: string; readonly opportunity: string };
  /** Who converts: owner of the new account and opportunity when the lead has no owner. */
  readonly actorId: string;
  readonly now: Date;
  /** The configured pipeline (only read when the conversion opens an opportunity). */
  readonly pipeline?: Pick<PipelineStages, 'stages'>;
}

/**
 * flow: 1. the customer: the existing one, or a new one from the lead's person (source `lead`)
 * 2. the account: the linked one, or a new customer account owned by the lead's owner (else the
 * caller) 3. the contact link (an existing one keeps its role) 4. the opportunity, if asked, on
 * that account, owned by opportunity.ownerId, else the lead's owner, else the caller, and assigned
 * to the lead's partner 5. the lead: converted, pointing at all of them 6. LeadConverted.
 */
export function planConversion(previous: Lead, input: LeadConversionInput, context: PlanContext): ConversionPlan {
  checkConvertible(previous);
  const { now, ids } = context;
  const at = now.toISOString();
  const ownerId = previous.ownerId ?? context.actorId;

  const customer = 'existing' in context.customer
    ? { existing: context.customer.existing, events: [] as DomainEvent[] }
    : (() => {
        const person = { email: previous.email, ...(previous.firstName ? { firstName: previous.firstName } : {}), ...(previous.lastName ? { lastName: previous.lastName } : {}), attributes: { source: 'lead' } };
        const made = createCustomer(person, ids.customer, now);
        return { created: made.customer, events: made.events };
      })();
  const customerId = 'existing' in customer ? customer.existing : customer.created.id;

  const account = 'link' in context.account
    ? { existing: context.account.link, events: [] as DomainEvent[] }
    : (() => {
        const made = createAccount({ name: context.account.create, type: 'customer' }, { id: ids.account, ownerId, now });
        return { created: made.account, events: made.events };
      })();
  const accountId = 'existing' in account ? account.existing : account.created.id;

  const existing = context.existingContact;
  const contact: Contact = existing ?? { accountId, customerId, role: 'contact', addedAt: at };

  const opened = input.opportunity ? createOpportunity({ ...input.opportunity, accountId }, { id: ids.opportunity, ownerId, now, ...(context.pipeline ? { pipeline: context.pipeline } : {}) }) : null;
  // The deal stays with the partner that worked the lead, so its partner users keep seeing it.
  const opportunity = opened ? { ...opened.opportunity, partnerAccountId: previous.partnerAccountId } : null;

  const conversion = { customerId, accountId, opportunityId: opportunity?.id ?? null };
  const lead: Lead = { ...previous, status: 'converted', customerId, convertedAt: at, conversion, updatedAt: at, version: previous.version + 1 };

  return {
    previous,
    lead,
    customer: 'existing' in customer ? { existing: customerId } : { created: customer.created },
    account: 'existing' in account ? { existing: accountId } : { created: account.created },
    contact,
    contactExisted: existing !== undefined,
    opportunity,
    events: { customer: customer.events, account: account.events, opportunity: opened?.events ?? [], lead: [LeadConverted.of({ leadId: lead.id, ...conversion })] },
    result: { lead, customer: { id: customerId, created: !('existing' in customer) }, account: { id: accountId, created: !('existing' in account) }, opportunity },
  };
}
