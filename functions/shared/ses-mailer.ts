import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import { CONTROL_CHARACTER, type EmailSender, headerSafe } from '#domain/shared/email.ts';
import { meter } from './metering.ts';

export interface SesConfig {
  readonly from: string;
  readonly configurationSet?: string;
}

/** An address or header name with a control character is a bug upstream, never something to repair. */
function refuseControl(value: string, what: string): string {
  if (CONTROL_CHARACTER.test(value)) throw new Error(`An email ${what} holds a control character; nothing was sent.`);
  return value;
}

/**
 * EmailSender on SES v2 (the real service, or aws-ses-v2-local on this machine). The last line of
 * defence against header injection: every value that becomes a header is one clean line.
 */
export function sesMailer(client: SESv2Client, config: SesConfig): EmailSender {
  const from = headerSafe(config.from);
  return {
    async send(message) {
      const to = message.to.map((address) => refuseControl(address, 'recipient'));
      const headers = Object.entries(message.headers ?? {}).map(([Name, Value]) => ({ Name: refuseControl(Name, 'header name'), Value: headerSafe(Value) }));
      const out = await client.send(
        new SendEmailCommand({
          FromEmailAddress: from,
          Destination: { ToAddresses: to },
          ...(config.configurationSet ? { ConfigurationSetName: config.configurationSet } : {}),
          Content: {
            Simple: {
              Subject: { Data: headerSafe(message.subject), Charset: 'UTF-8' },
              Body: {
                Text: { Data: message.text, Charset: 'UTF-8' },
                ...(message.html ? { Html: { Data: message.html, Charset: 'UTF-8' } } : {}),
              },
              ...(headers.length ? { Headers: headers } : {}),
            },
          },
          EmailTags: [{ Name: 'kind', Value: message.kind }, ...Object.entries(message.tags ?? {}).map(([Name, Value]) => ({ Name, Value }))],
        }),
      );
      // Metering: SES bills each recipient of a message it accepted.
      meter.emailsSent(to.length);
      return { messageId: out.MessageId ?? 'unknown' };
    },
  };
}
