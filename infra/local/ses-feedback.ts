import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { SendEmailCommandInput, SendEmailCommandOutput, SESv2Client } from '@aws-sdk/client-sesv2';
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
// aws-ses-v2-local keeps neither the tags nor a way to carry them: a header would do (SES itself
// reads tags from an X-SES-MESSAGE-TAGS header), but SES strips its X-SES-* headers before
// delivery and aws-ses-v2-local would not, so the local inbox would show a header no recipient
// ever gets. Instead the local SES client notes each accepted message's EmailTags under the
// message id SES answered with (withMessageTags), and the simulator gives them to that message's
// events, then forgets them. The runtime's functions and the simulator share one process. On AWS
// nothing of this exists: the Lambdas' SES clients send EmailTags, and SES does the rest.

const SIMULATOR = /^(bounce|complaint)(\+[^@]*)?@simulator\.amazonses\.com$/i;

interface StoredEmail {
  readonly messageId: string;
  readonly from: string;
  readonly destination: { to: string[]; cc?: string[]; bcc?: string[] };
  readonly subject?: string;
  readonly at: number;
}

type Tags = Record<string, string[]>;

/** EmailTags of messages the local SES client sent, by message id, until the simulator published their events. */
const tagsByMessage = new Map<string, Tags>();
/**
 * Sends whose answer has not come back yet: SES has stored such a message before its id (and so
 * its tags) is known here, so the simulator leaves a message without tags alone while any is open.
 */
let sending = 0;

/** The local SES client: notes the EmailTags of every message SES accepted, for the simulator. */
export function withMessageTags(client: SESv2Client): SESv2Client {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'SendEmailCommand') return next(args);
      sending++;
      try {
        const result = await next(args);
        const { EmailTags } = args.input as SendEmailCommandInput;
        const messageId = (result.output as SendEmailCommandOutput).MessageId;
        if (messageId && EmailTags?.length) {
          const tags: Tags = {};
          for (const { Name, Value } of EmailTags) if (Name && Value !== undefined) (tags[Name] ??= []).push(Value);
          tagsByMessage.set(messageId, tags);
        }
        return result;
      } finally {
        sending--;
      }
    },
    { step: 'initialize', name: 'localMessageTags' },
  );
  return client;
}

/** The message's tags as AWS gives them in `mail.tags`: its EmailTags and SES's own (the configuration set). */
function tagsOf(email: StoredEmail): Tags {
  return { ...tagsByMessage.get(email.messageId), 'ses:configuration-set': ['local'] };
}

export function startSesFeedback(options: { sesEndpoint: string; busEndpoint: string; pollMs?: number }) {
  const bus = new EventBridgeClient({ endpoint: options.busEndpoint, ...LOCAL_AWS });
  // Only what is new is read: the store answers `?since=<second>` (emails of that second on), and the
  // messages already handled in that second are skipped. Reading the whole store on every poll made
  // each poll cost as much as every email sent so far (a 10,000-message campaign slowed to a crawl).
  let since = 0;
  const handledInSecond = new Set<string>();
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
  function poll(wait: boolean): Promise<number> {
    const once = () => pollOnce(wait);
    const next = last.then(once, once);
    last = next.catch(() => undefined);
    return next;
  }

  /** New emails in order, up to the first whose tags may still be on their way (its send is open). */
  async function ready(wait: boolean): Promise<StoredEmail[]> {
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(`${options.sesEndpoint}/store?since=${since}`);
      const { emails } = (await response.json()) as { emails: StoredEmail[] };
      const fresh = emails.filter((email) => !handledInSecond.has(email.messageId));
      const open = sending > 0 ? fresh.findIndex((email) => !tagsByMessage.has(email.messageId)) : -1;
      // flush() waits for those sends (briefly: a local SES answers in milliseconds); the loop comes back later.
      if (open >= 0 && wait && attempt < 200) {
        await new Promise((r) => setTimeout(r, 10));
        continue;
      }
      return open >= 0 && !wait ? fresh.slice(0, open) : fresh;
    }
  }

  async function pollOnce(wait: boolean) {
    const fresh = await ready(wait);
    for (const email of fresh) {
      if (email.at > since) {
        since = email.at;
        handledInSecond.clear();
      }
      if (email.at === since) handledInSecond.add(email.messageId);
    }
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
    for (const email of fresh) tagsByMessage.delete(email.messageId);
    return entries.length;
  }

  const loop = (async () => {
    // An outage is logged when it starts and when it ends, not on every poll (5 lines a second).
    let failing: string | undefined;
    while (!stopped) {
      try {
        await poll(false);
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
    flush: () => poll(true),
    async stop() {
      stopped = true;
      await loop;
      bus.destroy();
    },
  };
}
