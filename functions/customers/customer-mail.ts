import type { ConsentRepository } from '#domain/consent/consent.repository.ts';
import type { EmailGate } from '#domain/consent/email-gate.ts';
import type { CustomerMail } from '#domain/customers/erasure-notice.ts';

/**
 * Service mail to a customer through the consent context's one gate, naming the customer: the
 * gate refuses a person being erased or a suppressed address, and records the delivery on the
 * person's own timeline (erased with them).
 */
export function gatedCustomerMail(gate: EmailGate, consents: Pick<ConsentRepository, 'recipient'>): CustomerMail {
  return {
    async recipient(customerId) {
      const found = await consents.recipient(customerId);
      return found && found !== 'erased' ? { email: found.email, firstName: found.firstName } : undefined;
    },
    async send(customerId, message, context) {
      await gate.send({ kind: 'service', customerId, topic: null, ...message }, context);
    },
  };
}
