import type { TokenSigner } from '../consent/tokens.ts';
import type { EmailSender } from '../shared/email.ts';
import { ConcurrentUpdateError, StaleVersionError, UnknownTopicError, UnprocessableError } from '../shared/errors.ts';
import type { Clock, CommandContext, IdGenerator } from '../shared/ports.ts';
import {
  activateCampaign,
  AddressSuppressedError,
  type CampaignChange,
  CampaignNotFoundError,
  cancelCampaign,
  draftCampaign,
  patchCampaign,
  pauseCampaign,
  PreviewCustomerError,
  resumeCampaign,
  scheduleCampaign,
  UnknownSegmentError,
} from './campaign.ts';
import type { CampaignSending, CampaignTriggers, OneOffSchedules } from './campaign.ports.ts';
import type { CampaignRepository } from './campaign.repository.ts';
import type { Campaign, CampaignInput, CampaignPatch, Outcome, RenderedMessage } from './campaign.schema.ts';
import { campaignMessage } from './template.ts';
import { triggerPattern } from './trigger.ts';

export interface CampaignDeps {
  readonly campaigns: CampaignRepository;
  readonly triggers: CampaignTriggers;
  readonly schedules: OneOffSchedules;
  readonly sending: CampaignSending;
  /** Test messages only (campaign mail to customers goes through the gate, in the sender). */
  readonly mailer: EmailSender;
  readonly tokens: TokenSigner;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** The one-off schedule that starts a scheduled campaign. */
export const startScheduleName = (campaignId: string) => `campaign-${campaignId}`;

const MAX_ATTEMPTS = 25;

export function campaignUseCases({ campaigns, triggers, schedules, sending, mailer, tokens, clock, ids }: CampaignDeps) {
  async function load(id: string): Promise<Campaign> {
    const found = await campaigns.get(id);
    if (!found) throw new CampaignNotFoundError(id);
    return found;
  }

  /** 422 for a segment or topic that does not exist, or a topic that is not for marketing. */
  async function checkReferences(c: Pick<Campaign, 'topic' | 'audience'>): Promise<void> {
    const topic = (await campaigns.topics()).find((t) => t.id === c.topic);
    if (!topic) throw new UnknownTopicError(c.topic);
    if (topic.purpose !== 'marketing') throw new UnprocessableError(`Topic ${c.topic} is for service mail; a campaign needs a marketing topic.`);
    if (!(await campaigns.segmentExists(c.audience.segmentId))) throw new UnknownSegmentError(c.audience.segmentId);
  }

  const startInput = (c: Campaign) => ({ campaignId: c.id, at: c.schedule!.at });

  /**
   * flow: 1. read 2. If-Match 3. the entity command 4. `before`: ports that create something (a
   * schedule, a rule) 5. the conditional commit 6. `after`: ports that remove or restart something.
   * The campaign item is the truth: the starter and the trigger consumer act only on a campaign
   * whose status says so, so a schedule or rule left behind by a failed step does nothing.
   * A lost race without If-Match is retried from 1.
   */
  async function change(
    id: string,
    ifMatch: number | undefined,
    context: CommandContext,
    command: (current: Campaign) => Promise<CampaignChange> | CampaignChange,
    ports: { before?: (current: Campaign, next: Campaign) => Promise<void>; after?: (current: Campaign, next: Campaign) => Promise<void> } = {},
  ): Promise<Campaign> {
    for (let attempt = 1; ; attempt++) {
      const current = await load(id);
      if (ifMatch !== undefined && ifMatch !== current.version) throw new StaleVersionError(ifMatch, current.version);
      const { campaign: next, events } = await command(current);
      if (next === current) return current;
      await ports.before?.(current, next);
      try {
        await campaigns.update(current, next, events, context);
      } catch (error) {
        if (!(error instanceof ConcurrentUpdateError)) throw error;
        if (ifMatch !== undefined) throw new StaleVersionError(ifMatch);
        if (attempt >= MAX_ATTEMPTS) throw error;
        continue;
      }
      await ports.after?.(current, next);
      return next;
    }
  }

  /** What stops a campaign from acting on its own: its start schedule or its rule. */
  async function quiet(current: Campaign): Promise<void> {
    if (current.status === 'scheduled') await schedules.cancel(startScheduleName(current.id));
    if (current.status === 'active') await triggers.disable(current.id);
  }

  async function unsubscribeUrl(baseUrl: string, campaign: Campaign, customerId: string): Promise<string> {
    const token = await tokens.sign({ purpose: 'unsubscribe', customerId, topic: campaign.topic, id: ids.next(), campaignId: campaign.id });
    return `${baseUrl}/unsubscribe?token=${encodeURIComponent(token)}`;
  }

  return {
    async create(input: CampaignInput, context: CommandContext): Promise<Campaign> {
      const campaign = draftCampaign(input, ids.next(), clock.now());
      await checkReferences(campaign);
      return (await campaigns.create(campaign, [], context)).campaign;
    },

    get: load,
    list: (query: { limit: number; cursor?: string | undefined }) => campaigns.list(query),

    async patch(id: string, patch: CampaignPatch, ifMatch: number | undefined, context: CommandContext): Promise<Campaign> {
      let moves = { rescheduled: false, retriggered: false };
      return change(
        id,
        ifMatch,
        context,
        async (current) => {
          const result = patchCampaign(current, patch, clock.now());
          if (result.campaign !== current && (patch.topic !== undefined || patch.audience !== undefined)) await checkReferences(result.campaign);
          moves = result;
          return result;
        },
        {
          before: async (_current, next) => {
            if (moves.rescheduled) await schedules.at(startScheduleName(id), next.schedule!.at, 'campaignStarter', startInput(next));
            if (moves.retriggered) await triggers.enable(id, triggerPattern(next.trigger!));
          },
        },
      );
    },

    schedule: (id: string, at: string | undefined, ifMatch: number | undefined, context: CommandContext) =>
      change(id, ifMatch, context, (current) => scheduleCampaign(current, at, clock.now()), {
        before: (_current, next) => schedules.at(startScheduleName(id), next.schedule!.at, 'campaignStarter', startInput(next)),
      }),

    activate: (id: string, ifMatch: number | undefined, context: CommandContext) =>
      change(id, ifMatch, context, (current) => activateCampaign(current, clock.now()), {
        before: (_current, next) => triggers.enable(id, triggerPattern(next.trigger!)),
      }),

    pause: (id: string, ifMatch: number | undefined, context: CommandContext) =>
      change(id, ifMatch, context, (current) => pauseCampaign(current, clock.now()), { after: (current) => quiet(current) }),

    resume: (id: string, ifMatch: number | undefined, context: CommandContext) =>
      change(id, ifMatch, context, (current) => resumeCampaign(current, clock.now()), {
        before: async (_current, next) => {
          if (next.status === 'scheduled') await schedules.at(startScheduleName(id), next.schedule!.at, 'campaignStarter', startInput(next));
          if (next.status === 'active') await triggers.enable(id, triggerPattern(next.trigger!));
        },
        // The batches a pause parked go back once the campaign says running again.
        after: async (_current, next) => {
          if (next.status === 'running') await sending.resume(id);
        },
      }),

    cancel: (id: string, ifMatch: number | undefined, context: CommandContext) =>
      change(id, ifMatch, context, (current) => cancelCampaign(current, clock.now()), { after: (current) => quiet(current) }),

    /** The message one customer would get now (nothing is sent or recorded). */
    async preview(id: string, customerId: string, baseUrl: string): Promise<RenderedMessage> {
      const campaign = await load(id);
      const person = await campaigns.person(customerId);
      if (!person) throw new PreviewCustomerError(customerId);
      const message = campaignMessage(campaign.template, person, await unsubscribeUrl(baseUrl, campaign, customerId));
      return { to: person.email, subject: message.subject, text: message.text, html: message.html };
    },

    /**
     * One message to a staff address: placeholders take their defaults (no customer's data), the
     * subject says [TEST], and the unsubscribe link is a placeholder that unsubscribes nobody.
     * Counted nowhere: no report counter, no recipient, no timeline, no event. A suppressed
     * address is still refused.
     */
    async test(id: string, email: string, baseUrl: string): Promise<{ outcome: 'sent'; messageId: string }> {
      const campaign = await load(id);
      if (await campaigns.suppressed(email)) throw new AddressSuppressedError();
      const message = campaignMessage(campaign.template, { email, firstName: null, lastName: null, attributes: {} }, `${baseUrl}/unsubscribe?token=test-message`);
      const { messageId } = await mailer.send({
        to: [email],
        subject: `[TEST] ${message.subject}`,
        text: message.text,
        ...(message.html ? { html: message.html } : {}),
        kind: 'marketing',
        headers: message.headers,
      });
      return { outcome: 'sent', messageId };
    },

    async report(id: string) {
      await load(id);
      return campaigns.report(id);
    },

    async recipients(id: string, query: { outcome?: Outcome | undefined; limit: number; cursor?: string | undefined }) {
      await load(id);
      return campaigns.recipients(id, query);
    },
  };
}

export type CampaignUseCases = ReturnType<typeof campaignUseCases>;
