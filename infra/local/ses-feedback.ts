import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { EVENT_BUS_NAME } from '#events/define-event.ts';
import { SES_BOUNCE, SES_COMPLAINT, SES_SOURCE } from '#events/ses-feedback.event.ts';
import { LOCAL_AWS } from './dynamodb-local.ts';

// What SES's mailbox simulator does in AWS, on this machine: mail to bounce@ / complaint@
// simulator.amazonses.com (also with a +label) produces a bounce or complaint event in AWS's
// event shape, through the same rule and consumer.

const SIMULATOR = /^(bounce|complaint)(\+[^@]*)?@simulator\.amazonses\.com$/i;

interface StoredEmail {
  readonly messageId: string;
  readonly from: string;
  readonly destination: { to: string[]; cc?: string[]; bcc?: string[] };
  readonly subject?: string;
  readonly at: number;
}

export function startSesFeedback(options: { sesEndpoint: string; busEndpoint: string; pollMs?: number }) {
  const bus = new EventBridgeClient({ endpoint: options.busEndpoint, ...LOCAL_AWS });
  let seen = 0;
  let stopped = false;

  function detail(kind: 'bounce' | 'complaint', email: StoredEmail, recipient: string) {
    const timestamp = new Date().toISOString();
    const mail = {
      timestamp: new Date(email.at * 1000).toISOString(),
      source: email.from,
      messageId: email.messageId,
      destination: [...email.destination.to, ...(email.destination.cc ?? []), ...(email.destination.bcc ?? [])],
      tags: { 'ses:configuration-set': ['local'] },
    };
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

  async function poll() {
    const response = await fetch(`${options.sesEndpoint}/store`);
    const { emails } = (await response.json()) as { emails: StoredEmail[] };
    const fresh = emails.slice(seen);
    seen = emails.length;
    const entries = fresh.flatMap((email) =>
      [...email.destination.to, ...(email.destination.cc ?? []), ...(email.destination.bcc ?? [])].flatMap((recipient) => {
        const match = SIMULATOR.exec(recipient);
        if (!match) return [];
        const kind = match[1]!.toLowerCase() as 'bounce' | 'complaint';
        return [{ Source: SES_SOURCE, DetailType: kind === 'bounce' ? SES_BOUNCE : SES_COMPLAINT, Detail: JSON.stringify(detail(kind, email, recipient)), EventBusName: EVENT_BUS_NAME }];
      }),
    );
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
