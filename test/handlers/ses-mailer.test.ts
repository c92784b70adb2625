import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sesMailer } from '../../functions/shared/ses-mailer.ts';

// The SES v2 adapter at the SDK edge: whatever reaches it, no CR, LF or other control character
// gets into a header (subject, custom headers, sender and recipient addresses), so nothing can
// add a header of its own (Bcc:, a second Subject:, a MIME boundary).

const ses = mockClient(SESv2Client);
const CONTROL = /[\u0000-\u001f\u007f\u0085\u2028\u2029]/;

beforeEach(() => {
  ses.reset();
  ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
});
afterEach(() => ses.reset());

const sentInput = () => ses.commandCalls(SendEmailCommand).map((call) => call.args[0].input);

describe('sesMailer', () => {
  it('turns control characters in the subject and header values into spaces, keeping the text readable', async () => {
    const mailer = sesMailer(new SESv2Client({}), { from: 'CRM <crm@example.com>' });
    await mailer.send({
      to: ['ada@example.com'],
      subject: 'Hello\r\nBcc: victim@example.net\r\n\r\n<html>',
      text: 'Body lines\r\nstay as they are',
      kind: 'marketing',
      headers: { 'List-Unsubscribe': '<https://api.example.test/unsubscribe?token=a>\r\nBcc: victim@example.net' },
    });
    const [input] = sentInput();
    const simple = input!.Content!.Simple!;
    expect(simple.Subject!.Data).toBe('Hello Bcc: victim@example.net <html>');
    expect(simple.Headers).toEqual([{ Name: 'List-Unsubscribe', Value: '<https://api.example.test/unsubscribe?token=a> Bcc: victim@example.net' }]);
    expect(simple.Body!.Text!.Data).toBe('Body lines\r\nstay as they are');
    expect(JSON.stringify([simple.Subject, simple.Headers, input!.FromEmailAddress, input!.Destination])).not.toMatch(/\\[rnt]|\\u00/);
  });

  it('tags the message with its kind and the given tags (SES carries them into feedback events)', async () => {
    const mailer = sesMailer(new SESv2Client({}), { from: 'crm@example.com' });
    await mailer.send({ to: ['ada@example.com'], subject: 'Offers', text: 'Hi', kind: 'marketing', tags: { campaign: 'cmp-1' } });
    await mailer.send({ to: ['ada@example.com'], subject: 'Notice', text: 'Hi', kind: 'service' });
    expect(sentInput().map((input) => input.EmailTags)).toEqual([
      [{ Name: 'kind', Value: 'marketing' }, { Name: 'campaign', Value: 'cmp-1' }],
      [{ Name: 'kind', Value: 'service' }],
    ]);
  });

  it('refuses a recipient or header name with a control character before calling SES', async () => {
    const mailer = sesMailer(new SESv2Client({}), { from: 'crm@example.com' });
    await expect(mailer.send({ to: ['ada@example.com\r\nBcc: victim@example.net'], subject: 's', text: 't', kind: 'service' })).rejects.toThrow(/recipient/);
    await expect(mailer.send({ to: ['ada@example.com'], subject: 's', text: 't', kind: 'service', headers: { 'X-A\r\nBcc': 'x' } })).rejects.toThrow(/header name/);
    expect(sentInput()).toEqual([]);
  });

  it('strips control characters from a configured sender display name', async () => {
    const mailer = sesMailer(new SESv2Client({}), { from: 'CRM\r\nBcc: victim@example.net <crm@example.com>' });
    await mailer.send({ to: ['ada@example.com'], subject: 's', text: 't', kind: 'service' });
    expect(sentInput()[0]!.FromEmailAddress).not.toMatch(CONTROL);
  });
});
