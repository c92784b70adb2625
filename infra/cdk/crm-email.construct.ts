import { Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as ses from 'aws-cdk-lib/aws-ses';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { EmailResources } from './crm-function.construct.ts';
import { DeadLetterQueue } from './dead-letter-queue.construct.ts';
import type { EmailSettings } from './stack-settings.ts';

/**
 * The sending events the configuration set publishes, with the `detail-type` each carries on
 * EventBridge (source `aws.ses`). SUBSCRIPTION is left out: unsubscribes are handled by our own
 * consent records, not by SES subscription management.
 */
export const SES_EVENTS = [
  { event: ses.EmailSendingEvent.SEND, detailType: 'Email Sent' },
  { event: ses.EmailSendingEvent.DELIVERY, detailType: 'Email Delivered' },
  { event: ses.EmailSendingEvent.BOUNCE, detailType: 'Email Bounced' },
  { event: ses.EmailSendingEvent.COMPLAINT, detailType: 'Email Complaint Received' },
  { event: ses.EmailSendingEvent.REJECT, detailType: 'Email Rejected' },
  { event: ses.EmailSendingEvent.OPEN, detailType: 'Email Opened' },
  { event: ses.EmailSendingEvent.CLICK, detailType: 'Email Clicked' },
  { event: ses.EmailSendingEvent.RENDERING_FAILURE, detailType: 'Email Rendering Failed' },
  { event: ses.EmailSendingEvent.DELIVERY_DELAY, detailType: 'Email Delivery Delayed' },
] as const;

/** The events that make SES track a recipient (pixel, rewritten links): published only with `emailTracking`. */
const TRACKING_EVENTS: readonly ses.EmailSendingEvent[] = [ses.EmailSendingEvent.OPEN, ses.EmailSendingEvent.CLICK];

/** The sending events the configuration set publishes: all of SES_EVENTS, less opens and clicks unless tracking is on. */
export const publishedSesEvents = (tracking: boolean) => SES_EVENTS.filter((e) => tracking || !TRACKING_EVENTS.includes(e.event));

/** `source` of every SES event on EventBridge (and on the crm bus once forwarded). */
export const SES_EVENT_SOURCE = 'aws.ses';

/** SES puts the configuration set's name in this auto-tag of every event it publishes. */
export const SES_CONFIGURATION_SET_TAG = 'ses:configuration-set';

export interface CrmEmailProps {
  readonly settings: EmailSettings;
  /** The crm bus: SES events are forwarded here, where the eCRM's consumers subscribe. */
  readonly bus: events.IEventBus;
}

/**
 * Outbound email: one SES identity (a domain, or a single address), one configuration set that
 * every send uses, and the path of its sending events to the crm bus. SES publishes to the
 * account's *default* bus only, so a rule there (matching our configuration set, nobody else's)
 * forwards them. Identities, configuration sets and rules cost nothing; SES bills per message.
 */
export class CrmEmail extends Construct {
  readonly identity: ses.EmailIdentity;
  readonly configurationSet: ses.ConfigurationSet;
  /** The domain of a domain identity (whose DKIM CNAMEs must be published); absent for an address identity. */
  readonly domain?: string;
  readonly fromAddress: string;
  readonly configurationSetArn: string;
  /** The rule on the default bus that forwards this configuration set's events to the crm bus. */
  readonly forwardingRule: events.Rule;
  /** Events the forwarding rule could not put on the crm bus. */
  readonly forwardingFailures: sqs.Queue;

  constructor(scope: Construct, id: string, props: CrmEmailProps) {
    super(scope, id);
    const { settings } = props;
    this.domain = settings.domain;
    this.fromAddress = settings.fromAddress;

    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      reputationMetrics: true,
      sendingEnabled: true,
      // Our consent records decide who may be mailed; the account-level suppression list is the
      // backstop that keeps a hard bounce or a complaint from ever being mailed again.
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    this.configurationSetArn = Stack.of(this).formatArn({
      service: 'ses',
      resource: 'configuration-set',
      resourceName: this.configurationSet.configurationSetName,
    });

    this.identity = new ses.EmailIdentity(this, 'Identity', {
      identity: settings.domain !== undefined ? ses.Identity.domain(settings.domain) : ses.Identity.email(settings.fromAddress),
      // Default configuration set of the identity: even a send that names none publishes events.
      configurationSet: this.configurationSet,
    });

    const defaultBus = events.EventBus.fromEventBusName(this, 'Default', 'default');
    this.configurationSet.addEventDestination('ToEventBridge', {
      destination: ses.EventDestination.eventBus(defaultBus),
      events: publishedSesEvents(settings.tracking).map((e) => e.event),
    });

    this.forwardingFailures = new DeadLetterQueue(this, 'ForwardingFailures', {
      purpose: 'SES sending events the default bus could not forward to the crm bus',
      usedAs: 'delivery-dlq',
    }).queue;
    this.forwardingRule = new events.Rule(this, 'ForwardToCrm', {
      eventBus: defaultBus,
      description: 'SES sending events of the eCRM configuration set, forwarded to the crm bus',
      eventPattern: {
        source: [SES_EVENT_SOURCE],
        detailType: publishedSesEvents(settings.tracking).map((e) => e.detailType),
        detail: { mail: { tags: { [SES_CONFIGURATION_SET_TAG]: [this.configurationSet.configurationSetName] } } },
      },
      targets: [new targets.EventBus(props.bus, { deadLetterQueue: this.forwardingFailures })],
    });
  }

  /** What CrmFunction needs to grant `access.email` and tell the code where to send from. */
  get resources(): EmailResources {
    return {
      identityArn: this.identity.emailIdentityArn,
      configurationSetArn: this.configurationSetArn,
      configurationSetName: this.configurationSet.configurationSetName,
      fromAddress: this.fromAddress,
    };
  }
}
