import type { EmailSender } from '#domain/shared/email.ts';
import { emailConfig } from './config.ts';
import { lazyPort } from './lazy.ts';

/**
 * The SES EmailSender for API functions whose few mail-sending routes should not make every cold
 * start pay for SES: the email configuration is checked at cold start (a bad EMAIL_FROM fails the
 * init), the client and its code load with the first mail, from chunks of their own.
 */
export function sesMailerOnFirstUse(env: NodeJS.ProcessEnv = process.env): EmailSender {
  const config = emailConfig(env);
  return lazyPort<EmailSender>(async () => {
    const [{ sesMailer }, { createSesClient }] = await Promise.all([import('./ses-mailer.ts'), import('./ses-client.ts')]);
    return sesMailer(createSesClient(), config);
  });
}
