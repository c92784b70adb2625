import { SendEmailCommand, type SendEmailCommandInput } from '@aws-sdk/client-sesv2';
import type { EventBridgeEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SES_CAMPAIGN_FEEDBACK_PATTERN, SES_SOURCE, SesBounceDetail, SesComplaintDetail, SesDeliveryDetail } from '../../events/ses-feedback.event.ts';
import { createSesClient } from '../../functions/shared/ses-client.ts';
import { sesMailer } from '../../functions/shared/ses-mailer.ts';
import { LOCAL_AWS } from '../../infra/local/dynamodb-local.ts';
import { startLocalBus } from '../../infra/local/local-bus.ts';
import { startSesFeedback, withMessageTags } from '../../infra/local/ses-feedback.ts';
import { startSesLocal } from '../../infra/local/ses-local.ts';

// The local SES feedback (what SES publishes after accepting a message) against aws-ses-v2-local
// and the local bus: a Delivery for every message to a recipient that does not bounce, bounces and
// complaints from the mailbox simulator, each carrying the message's tags in `mail.tags` as AWS does.

type Event = EventBridgeEvent<string, unknown>;
let ses: Awaited<ReturnType<typeof startSesLocal>>;
let bus: Awaited<ReturnType<typeof startLocalBus>>;
let feedback: ReturnType<typeof startSesFeedback>;
const seen: Event[] = [];
const campaignRule: Event[] = [];

beforeAll(async () => {
  ses = await startSesLocal(0);
  bus = await startLocalBus({
    busName: 'crm',
    rules: [
      { name: 'all-ses', pattern: { source: [SES_SOURCE] }, deliver: async (event: Event) => void seen.push(event) },
      { name: 'ses-campaign-feedback', pattern: SES_CAMPAIGN_FEEDBACK_PATTERN, deliver: async (event: Event) => void campaignRule.push(event) },
    ],
  });
  feedback = startSesFeedback({ sesEndpoint: ses.endpoint, busEndpoint: bus.endpoint, pollMs: 20 });
});
afterAll(async () => {
  await feedback?.stop();
  await bus?.stop();
  await ses?.stop();
});

const client = () => withMessageTags(createSesClient({ endpoint: ses.endpoint, ...LOCAL_AWS }));

async function send(to: string[], tags: { Name: string; Value: string }[]) {
  const input: SendEmailCommandInput = {
    FromEmailAddress: 'crm@localhost.test',
    Destination: { ToAddresses: to },
    Content: { Simple: { Subject: { Data: 'Hello' }, Body: { Text: { Data: 'Hi' } }, Headers: [{ Name: 'List-Unsubscribe', Value: '<https://x/u>' }] } },
    EmailTags: tags,
  };
  const before = JSON.stringify(input);
  const out = await client().send(new SendEmailCommand(input));
  expect(JSON.stringify(input)).toBe(before); // the caller's input is left as it was
  return out.MessageId!;
}

async function eventsOf(messageId: string) {
  await feedback.flush();
  await bus.idle();
  return seen.filter((e) => (e.detail as { mail: { messageId: string } }).mail.messageId === messageId);
}

describe('local SES feedback', () => {
  it('publishes a Delivery for a message to an ordinary address, with its EmailTags in mail.tags', async () => {
    const messageId = await send(['ada@example.com'], [{ Name: 'campaign', Value: 'camp-1' }, { Name: 'kind', Value: 'marketing' }]);
    const events = await eventsOf(messageId);
    expect(events.map((e) => e['detail-type'])).toEqual(['Email Delivered']);
    const detail = SesDeliveryDetail.parse(events[0]!.detail);
    expect(detail.delivery.recipients).toEqual(['ada@example.com']);
    expect(detail.mail.tags).toEqual({ campaign: ['camp-1'], kind: ['marketing'], 'ses:configuration-set': ['local'] });
    expect(detail.mail.destination).toEqual(['ada@example.com']);
    // ...which the campaign feedback rule takes, as on AWS.
    expect(campaignRule.map((e) => e.id)).toContain(events[0]!.id);
  });

  it('publishes a bounce and no delivery for the bounce simulator; a delivery, then a complaint, for the complaint simulator', async () => {
    const tags = [{ Name: 'campaign', Value: 'camp-2' }];
    const bounced = await eventsOf(await send(['bounce+t1@simulator.amazonses.com'], tags));
    expect(bounced.map((e) => e['detail-type'])).toEqual(['Email Bounced']);
    expect(SesBounceDetail.parse(bounced[0]!.detail).mail.tags).toMatchObject({ campaign: ['camp-2'] });

    const complained = await eventsOf(await send(['complaint@simulator.amazonses.com'], tags));
    expect(complained.map((e) => e['detail-type'])).toEqual(['Email Delivered', 'Email Complaint Received']);
    expect(SesComplaintDetail.parse(complained[1]!.detail).mail.tags).toMatchObject({ campaign: ['camp-2'] });
  });

  it('gives mail sent through the mailer its kind tag, and leaves untagged mail to the other rules', async () => {
    const { messageId } = await sesMailer(client(), { from: 'crm@localhost.test' }).send({ to: ['bob@example.com'], subject: 'Case update', text: 'Hi', kind: 'service' });
    const events = await eventsOf(messageId);
    expect(events.map((e) => [e['detail-type'], (e.detail as { mail: { tags: unknown } }).mail.tags])).toEqual([
      ['Email Delivered', { kind: ['service'], 'ses:configuration-set': ['local'] }],
    ]);
    expect(campaignRule.map((e) => e.id)).not.toContain(events[0]!.id);
  });

  it('delivers the message as sent: the tags travel beside it, not in a header', async () => {
    const messageId = await send(['carol@example.com'], [{ Name: 'campaign', Value: 'camp-3' }]);
    const { emails } = (await (await fetch(`${ses.endpoint}/store`)).json()) as { emails: { messageId: string; headers?: { name: string }[] }[] };
    expect(emails.find((e) => e.messageId === messageId)!.headers!.map((h) => h.name)).toEqual(['List-Unsubscribe']);
  });

  it('waits for a send still in progress, so its message never goes out without its tags', async () => {
    const slow = client();
    let stored!: () => void;
    const inSes = new Promise<void>((resolve) => (stored = resolve));
    // SES has stored the message; its answer (the message id) is slow to come back.
    slow.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        stored();
        await new Promise((r) => setTimeout(r, 300));
        return result;
      },
      { step: 'deserialize', name: 'slowAnswer' },
    );
    const input: SendEmailCommandInput = {
      FromEmailAddress: 'crm@localhost.test',
      Destination: { ToAddresses: ['dan@example.com'] },
      Content: { Simple: { Subject: { Data: 'Hello' }, Body: { Text: { Data: 'Hi' } } } },
      EmailTags: [{ Name: 'campaign', Value: 'camp-4' }],
    };
    const sending = slow.send(new SendEmailCommand(input));
    await inSes;
    await feedback.flush();
    const { MessageId } = await sending;
    const events = await eventsOf(MessageId!);
    expect(events.map((e) => (e.detail as { mail: { tags: unknown } }).mail.tags)).toEqual([{ campaign: ['camp-4'], 'ses:configuration-set': ['local'] }]);
  });
});
