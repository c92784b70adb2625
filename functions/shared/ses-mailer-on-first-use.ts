import type { EmailSender } from '#domain/shared/email.ts';
import { lazyPort } from './lazy.ts';
import type { SesConfig } from './ses-mailer.ts';

/**
 * The SES EmailSender for API functions whose few mail-sending routes should not make every cold
 * start pay for SES: the client and its code (a chunk of their own) load with the first mail.
 */
export function sesMailerOnFirstUse(email: SesConfig): EmailSender {
  return lazyPort<EmailSender>(async () => {
    const [{ sesMailer }, { createSesClient }] = await Promise.all([import('./ses-mailer.ts'), import('./ses-client.ts')]);
    return sesMailer(createSesClient(), email);
  });
}
