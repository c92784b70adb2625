import type { EmailSender } from '#domain/shared/email.ts';
import { lazyPort } from './lazy.ts';

/**
 * The SES EmailSender for API functions whose few mail-sending routes should not make every cold
 * start pay for SES: the client, its code and the email configuration's parse (zod, which the
 * cold path must not reach: table-config.ts) load with the first mail, from chunks of their own.
 * A bad EMAIL_FROM fails that mail, not the init (the stack sets it from its own configuration).
 */
export function sesMailerOnFirstUse(env: NodeJS.ProcessEnv = process.env): EmailSender {
  return lazyPort<EmailSender>(async () => {
    const [{ sesMailer }, { createSesClient }, { emailConfig }] = await Promise.all([import('./ses-mailer.ts'), import('./ses-client.ts'), import('./config.ts')]);
    return sesMailer(createSesClient(), emailConfig(env));
  });
}
