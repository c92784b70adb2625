import { onceOnly } from '../shared/once.ts';
import type { CommandContext, OnceGuard } from '../shared/ports.ts';
import type { ErasureRequest } from './me.schema.ts';

// The confirmation a person gets for their own erasure request: when it runs, and that they can
// cancel it until then (a request they did not make shows up in their inbox too).

export interface MailRecipient {
  readonly email: string;
  readonly firstName: string | null;
}

/** Port: service mail to one customer, through the one email gate (an erased person or a suppressed address gets nothing). */
export interface CustomerMail {
  /** undefined: the person is gone or their erasure has begun. */
  recipient(customerId: string): Promise<MailRecipient | undefined>;
  send(customerId: string, message: { to: readonly string[]; subject: string; text: string; deliveryKey: string }, context: CommandContext): Promise<void>;
}

/** `2025-01-22 09:00 UTC`: unambiguous in any locale. The subject holds no personal data (delivery records keep it). */
export function erasureRequestedMail(request: ErasureRequest, recipient: MailRecipient) {
  const when = `${request.runAt.slice(0, 10)} ${request.runAt.slice(11, 16)} UTC`;
  return {
    subject: `Your account will be erased on ${when}`,
    text: [
      `Hello${recipient.firstName ? ` ${recipient.firstName}` : ''},`,
      '',
      `we received your request to erase your account and everything we hold about you. It will be erased on ${when}.`,
      '',
      'Changed your mind? Cancel the request in your account before then. After that date it cannot be undone.',
      'If you did not ask for this, cancel it in your account and contact us.',
    ].join('\n'),
  };
}

export function erasureNotices({ mail, once }: { mail: CustomerMail; once: OnceGuard }) {
  return {
    /** Confirms a request once however often its event is delivered (claimed per request, done after the gate took it). */
    async requested(request: ErasureRequest, context: CommandContext): Promise<'sent' | 'duplicate' | 'nobody'> {
      const recipient = await mail.recipient(request.customerId);
      if (!recipient) return 'nobody';
      const key = `erasure-requested#${request.customerId}#${request.requestedAt}`;
      return onceOnly(once, key, async () => {
        await mail.send(request.customerId, { to: [recipient.email], ...erasureRequestedMail(request, recipient), deliveryKey: key }, context);
        return 'sent' as const;
      });
    },
  };
}

export type ErasureNotices = ReturnType<typeof erasureNotices>;
