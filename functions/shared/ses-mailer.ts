import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { EmailSender } from '#domain/shared/email.ts';

export interface SesConfig {
  readonly from: string;
  readonly configurationSet?: string;
}

/** EmailSender on SES v2 (the real service, or aws-ses-v2-local on this machine). */
export function sesMailer(client: SESv2Client, config: SesConfig): EmailSender {
  return {
    async send(message) {
      const out = await client.send(
        new SendEmailCommand({
          FromEmailAddress: config.from,
          Destination: { ToAddresses: [...message.to] },
          ...(config.configurationSet ? { ConfigurationSetName: config.configurationSet } : {}),
          Content: {
            Simple: {
              Subject: { Data: message.subject, Charset: 'UTF-8' },
              Body: {
                Text: { Data: message.text, Charset: 'UTF-8' },
                ...(message.html ? { Html: { Data: message.html, Charset: 'UTF-8' } } : {}),
              },
              ...(message.headers ? { Headers: Object.entries(message.headers).map(([Name, Value]) => ({ Name, Value })) } : {}),
            },
          },
          EmailTags: [{ Name: 'kind', Value: message.kind }],
        }),
      );
      return { messageId: out.MessageId ?? 'unknown' };
    },
  };
}
