import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { SendEmailCommandInput, SESv2Client } from '@aws-sdk/client-sesv2';
import { EVENT_BUS_NAME } from '#events/define-event.ts';
import { SES_BOUNCE, SES_COMPLAINT, SES_DELIVERY, SES_SOURCE } from '#events/ses-feedback.event.ts';
import { LOCAL_AWS } from './dynamodb-local.ts';

// What SES does in AWS after accepting a message, on this machine: every message is delivered
// (an "Email Delivered" event) to each recipient that does not bounce; mail to bounce@ /
// complaint@ simulator.amazonses.com (also with a +label) produces a bounce or complaint event as
// the mailbox simulator does (the complaint simulator accepts the message first, so it is also
// delivered), in AWS's event shape, through the same rules and consumers.
//
// Message tags: AWS puts a message's tags (SendEmail's EmailTags) in every event's `mail.tags`.
// aws-ses-v2-local keeps headers but not EmailTags, so the local SES client carries them in
// X-SES-MESSAGE-TAGS, the header in which SES itself accepts message tags (`name=value, ...`,
// raw and SMTP mail), and the simulator reads them back from there. On AWS nothing changes: the
// Lambdas' SES clients send EmailTags only.

const SIMULATOR = /^(bounce|complaint)(\+[^@]*)?@simulator\.amazonses\.com$/i;
export const SES_TAGS_HEADER = 'X-SES-MESSAGE-TAGS';

interface StoredEmail {
  readonly messageId: string;
  readonly from: string;
  readonly destination: { to: string[]; cc?: string[]; bcc?: string[] };
  readonly subject?: string;
  readonly headers?: readonly { name: string; value: string }[];
  readonly at: number;
}

type Tags = Record<string, string[]>;

export const tagsHeaderValue = (tags: readonly { Name?: string; Value?: string }[]) => tags.map((t) => `${t.Name ?? ''}=${t.Value ?? ''}`).join(', ');

/** The header's tags; SES tag names and values hold no comma, space or equals sign. */
export function parseTagsHeader(value: string): Tags {
  const tags: Tags = {};
  for (const pair of value.split(',')) {
    const [name, tagValue, ...rest] = pair.trim().split('=');
    if (!name || tagValue === undefined || rest.length) continue;
    (tags[name] ??= []).push(tagValue);
  }
  return tags;
}

/** The local SES client: SendEmail's EmailTags also travel in X-SES-MESSAGE-TAGS, for the simulator. */
export function withTagsHeader(client: SESv2Client): SESv2Client {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as SendEmailCommandInput;
      const simple = input.Content?.Simple;
      if (context.commandName !== 'SendEmailCommand' || !simple || !input.EmailTags?.length) return next(args);
      const Headers = [...(simple.Headers ?? []), { Name: SES_TAGS_HEADER, Value: tagsHeaderValue(input.EmailTags) }];
      return next({ ...args, input: { ...input, Content: { ...input.Content, Simple: { ...simple, Headers } } } });
    },
    { step: 'initialize', name: 'sesTagsHeader' },
  );
  return client;
}

function tagsOf(email: StoredEmail): Tags {
  const header = email.headers?.find((h) => h.name.toLowerCase() === SES_TAGS_HEADER.toLowerCase());
  return { ...(header ? parseTagsHeader(header.value) : {}), 'ses:configuration-set': ['local'] };
}

export function startSesFeedback(options: { sesEndpoint: string; busEndpoint: string; pollMs?: number }) {
  const bus = new EventBridgeClient({ endpoint: options.busEndpoint, ...LOCAL_AWS });
  let seen = 0;
  let stopped = false;

  const recipientsOf = (email: StoredEmail) => [...email.destination.to, ...(email.destination.cc ?? []), ...(email.destination.bcc ?? [])];
  const mailOf = (email: StoredEmail) => ({
    timestamp: new Date(email.at * 1000).toISOString(),
    source: email.from,
    messageId: email.messageId,
    destination: recipientsOf(email),
    tags: tagsOf(email),
  });

  function delivery(email: StoredEmail, recipients: string[]) {
    return {
      eventType: 'Delivery',
      delivery: { timestamp: new Date().toISOString(), processingTimeMillis: 0, recipients, smtpResponse: '250 2.0.0 OK (local)', reportingMTA: 'localhost' },
      mail: mailOf(email),
    };
  }

  function detail(kind: 'bounce' | 'complaint', email: StoredEmail, recipient: string) {
    const timestamp = new Date().toISOString();
    const mail = mailOf(email);
    return kind === 'bounce'
      ? {
          eventType: 'Bounce',
          bounce: {
            bounceType: 'Permanent',
            bounceSubType: 'General',
            bouncedRecipients: [{ emailAddress: recipient, action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }],
            timestamp,
            feedbackId: `local-${email.messageId}`,
          },
          mail,
        }
      : {
          eventType: 'Complaint',
          complaint: { complainedRecipients: [{ emailAddress: recipient }], timestamp, feedbackId: `local-${email.messageId}`, complaintFeedbackType: 'abuse' },
          mail,
        };
  }

  // One poll at a time: the loop's and idle()'s flush would otherwise read the same new emails.
  let last: Promise<unknown> = Promise.resolve();
  function poll(): Promise<number> {
    const next = last.then(pollOnce, pollOnce);
    last = next.catch(() => undefined);
    return next;
  }

  async function pollOnce() {
    const response = await fetch(`${options.sesEndpoint}/store`);
    const { emails } = (await response.json()) as { emails: StoredEmail[] };
    const fresh = emails.slice(seen);
    seen = emails.length;
    const entries = fresh.flatMap((email) => {
      const delivered = recipientsOf(email).filter((recipient) => SIMULATOR.exec(recipient)?.[1]?.toLowerCase() !== 'bounce');
      const feedback = recipientsOf(email).flatMap((recipient) => {
        const match = SIMULATOR.exec(recipient);
        if (!match) return [];
        const kind = match[1]!.toLowerCase() as 'bounce' | 'complaint';
        return [{ Source: SES_SOURCE, DetailType: kind === 'bounce' ? SES_BOUNCE : SES_COMPLAINT, Detail: JSON.stringify(detail(kind, email, recipient)), EventBusName: EVENT_BUS_NAME }];
      });
      // One delivery per message, naming the recipients it reached, before any complaint about it.
      const deliveries = delivered.length ? [{ Source: SES_SOURCE, DetailType: SES_DELIVERY, Detail: JSON.stringify(delivery(email, delivered)), EventBusName: EVENT_BUS_NAME }] : [];
      return [...deliveries, ...feedback];
    });
    for (let start = 0; start < entries.length; start += 10) await bus.send(new PutEventsCommand({ Entries: entries.slice(start, start + 10) }));
    return entries.length;
  }

  const loop = (async () => {
    // An outage is logged when it starts and when it ends, not on every poll (5 lines a second).
    let failing: string | undefined;
    while (!stopped) {
      try {
        await poll();
        if (failing !== undefined) console.error('[ses-feedback] the local SES answers again');
        failing = undefined;
      } catch (error) {
        if (!stopped && String(error) !== failing) console.error(`[ses-feedback] ${String(error)} (retrying quietly)`);
        failing = String(error);
      }
      await new Promise((r) => setTimeout(r, options.pollMs ?? 200));
    }
  })();

  return {
    /** Turns every email sent so far into its simulated feedback now (used by idle()). */
    flush: () => poll(),
    async stop() {
      stopped = true;
      await loop;
      bus.destroy();
    },
  };
}
