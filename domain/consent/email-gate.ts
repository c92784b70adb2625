import { EmailSent } from '#events/email-sent.event.ts';
import { type EmailSender, headerSafe } from '../shared/email.ts';
import type { Clock, CommandContext, IdGenerator } from '../shared/ports.ts';
import type { ConsentRepository, Recipient } from './consent.repository.ts';
import { type EmailOutcome, topicState } from './consent.schema.ts';

// The one gate every email passes. Marketing needs the topic `subscribed`; every email needs an
// address that is neither suppressed nor erased. A refusal sends nothing and is recorded.

export interface GateMessage {
  readonly kind: 'service' | 'marketing';
  /** The customer it is about/for (marketing: required). */
  readonly customerId: string | null;
  readonly topic: string | null;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** One logical email however often a retry sends it: recorded (sent or blocked) once under this key. */
  readonly deliveryKey?: string;
}

export function emailGate(deps: { consents: ConsentRepository; sender: EmailSender; clock: Clock; ids: IdGenerator }) {
  const { consents, sender, clock, ids } = deps;

  /** `known`: the customer as the caller has just read them (a campaign sender reads each one once). */
  async function refusal(message: GateMessage, known?: Recipient | 'erased'): Promise<'no_consent' | 'suppressed' | 'erased' | undefined> {
    let recipient: Recipient | 'erased' | undefined;
    if (message.customerId) {
      recipient = known ?? (await consents.recipient(message.customerId));
      if (recipient === 'erased' || recipient === undefined) return 'erased';
    }
    if (message.kind === 'marketing') {
      if (!message.customerId || !message.topic || !recipient || recipient === 'erased' || message.to.length === 0) return 'no_consent';
      // Consent is personal: it carries mail to the address of the person who gave it, and no other.
      if (message.to.some((address) => address.toLowerCase() !== recipient.email.toLowerCase())) return 'no_consent';
      if (topicState(await consents.states(message.customerId), message.topic) !== 'subscribed') return 'no_consent';
    }
    for (const address of message.to) if (await consents.suppression(address.toLowerCase())) return 'suppressed';
    return undefined;
  }

  return {
    /** Why the gate would refuse this message now, without sending or recording anything (undefined: it would pass). */
    refusal,

    async send(message: GateMessage, context: CommandContext): Promise<EmailOutcome> {
      const at = clock.now().toISOString();
      const reason = await refusal(message);
      const subject = headerSafe(message.subject);
      const base = { id: ids.next(), customerId: message.customerId, at, kind: message.kind, topic: message.topic, subject };
      if (reason) {
        await consents.recordDelivery({ ...base, outcome: 'blocked', reason, messageId: null }, [], context, message.deliveryKey);
        return { outcome: 'blocked', reason };
      }
      const { messageId } = await sender.send({
        to: message.to,
        subject,
        text: message.text,
        ...(message.html ? { html: message.html } : {}),
        kind: message.kind,
        ...(message.headers ? { headers: message.headers } : {}),
      });
      await consents.recordDelivery(
        { ...base, outcome: 'sent', reason: null, messageId },
        [EmailSent.of({ messageId, kind: message.kind, topic: message.topic, customerId: message.customerId })],
        context,
        message.deliveryKey,
      );
      return { outcome: 'sent', messageId };
    },
  };
}

export type EmailGate = ReturnType<typeof emailGate>;
export type GateRefusal = NonNullable<Awaited<ReturnType<EmailGate['refusal']>>>;

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Fills `{{firstName}}`, `{{lastName}}`, `{{email}}`; HTML-escaped in HTML. Unknown names stay empty. */
export function personalise(template: string, recipient: Recipient, html: boolean): string {
  const values = new Map([
    ['firstName', recipient.firstName ?? ''],
    ['lastName', recipient.lastName ?? ''],
    ['email', recipient.email],
  ]);
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, name: string) => {
    const value = values.get(name) ?? '';
    return html ? escapeHtml(value) : value;
  });
}

export { escapeHtml };
