import { ConsentConfirmed } from '#events/consent-confirmed.event.ts';
import { ConsentGranted } from '#events/consent-granted.event.ts';
import { ConsentRequested } from '#events/consent-requested.event.ts';
import { ConsentWithdrawn } from '#events/consent-withdrawn.event.ts';
import type { DomainEvent } from '#events/define-event.ts';
import { EmailBounced } from '#events/email-bounced.event.ts';
import { EmailComplained } from '#events/email-complained.event.ts';
import { EmailSuppressed } from '#events/email-suppressed.event.ts';
import {
  ConcurrentUpdateError,
  CustomerMergedError,
  CustomerNotFoundError,
  ForbiddenActionError,
  isCustomerGone,
  NotFoundError,
  TokenExpiredError,
  UnknownTopicError,
  UnprocessableError,
  ValidationError,
} from '../shared/errors.ts';
import { headerSafe } from '../shared/email.ts';
import type { Clock, CommandContext, IdGenerator } from '../shared/ports.ts';
import type { ConsentRepository, Recipient } from './consent.repository.ts';
import { type ConsentCommand, type ConsentState, type EmailOutcome, type LedgerEntry, latestRequestProof, type MarketingEmailInput, type Topic, type TopicState, topicState } from './consent.schema.ts';
import { type EmailGate, escapeHtml, personalise } from './email-gate.ts';
import type { TokenSigner } from './tokens.ts';

export interface ConsentDeps {
  readonly consents: ConsentRepository;
  readonly gate: EmailGate;
  readonly tokens: TokenSigner;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** A confirmation link is valid for two days. */
export const OPTIN_TTL_SECONDS = 48 * 3600;
const MAX_ATTEMPTS = 10;
/** States in which the person wants the topic (given, or asked for and awaiting confirmation). */
const WANTED: ReadonlySet<ConsentState> = new Set(['subscribed', 'pending']);

type Source = LedgerEntry['source'];
interface Origin {
  readonly source: Source;
  readonly ip?: string;
  readonly userAgent?: string;
  readonly textVersion?: string;
  /** The campaign whose mail's link was followed: its report counts the unsubscribe. */
  readonly campaignId?: string;
}

export function consentUseCases({ consents, gate, tokens, clock, ids }: ConsentDeps) {
  async function topic(id: string): Promise<Topic> {
    const found = (await consents.topics()).find((t) => t.id === id);
    if (!found) throw new UnknownTopicError(id);
    return found;
  }

  async function recipient(customerId: string): Promise<Recipient> {
    const found = await consents.recipient(customerId);
    if (!found || found === 'erased') throw new CustomerNotFoundError(customerId);
    return found;
  }

  async function stateOf(customerId: string, topicId: string): Promise<ConsentState> {
    return topicState(await consents.states(customerId), topicId);
  }

  function entry(customerId: string, topicId: string, action: LedgerEntry['action'], origin: Origin, extra: Partial<LedgerEntry> = {}): LedgerEntry {
    return {
      id: ids.next(),
      customerId,
      topic: topicId,
      action,
      source: origin.source,
      at: clock.now().toISOString(),
      ip: origin.ip ?? null,
      userAgent: origin.userAgent ?? null,
      textVersion: origin.textVersion ?? null,
      legalBasis: null,
      proof: null,
      ...extra,
    };
  }

  /** Appends one transition, retrying when another request moved the same topic meanwhile. */
  async function transition(
    customerId: string,
    topicId: string,
    decide: (state: ConsentState) => { entry: LedgerEntry; to: ConsentState; events: DomainEvent[] } | undefined,
    context: CommandContext,
  ): Promise<ConsentState> {
    for (let attempt = 1; ; attempt++) {
      const state = await stateOf(customerId, topicId);
      const step = decide(state);
      if (!step) return state;
      try {
        await consents.append([step.entry], [{ customerId, topic: topicId, state: step.to, at: step.entry.at, expected: state }], step.events, context);
        return step.to;
      } catch (error) {
        if (!(error instanceof ConcurrentUpdateError) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  /**
   * The caller has loaded the person and the topic (once per request, not once per step).
   * flow: 1. `pending`, the ledger entry and ConsentRequested commit in one transaction;
   * 2. the ConsentRequested consumer sends the mail (optin-mail.use-cases.ts), retried until sent,
   * so a failing SES never leaves a request pending with no mail on its way.
   */
  async function requestOptIn(person: Recipient, wanted: Topic, origin: Origin, baseUrl: string, context: CommandContext) {
    const customerId = person.id;
    const topicId = wanted.id;
    const requestId = ids.next();
    const state = await transition(
      customerId,
      topicId,
      (current) =>
        current === 'subscribed'
          ? undefined
          : {
              entry: entry(customerId, topicId, 'requested', origin, { proof: requestId }),
              to: 'pending',
              events: [ConsentRequested.of({ customerId, topic: topicId, source: origin.source, requestId, linkBase: baseUrl })],
            },
      context,
    );
    return { state, confirmation: state === 'subscribed' ? ('not_needed' as const) : ('queued' as const) };
  }

  async function withdraw(customerId: string, topicId: string, origin: Origin, context: CommandContext) {
    return transition(
      customerId,
      topicId,
      (current) =>
        current === 'unsubscribed'
          ? undefined
          : { entry: entry(customerId, topicId, 'withdrawn', origin), to: 'unsubscribed', events: [ConsentWithdrawn.of({ customerId, topic: topicId, source: origin.source, ...(origin.campaignId ? { campaignId: origin.campaignId } : {}) })] },
      context,
    );
  }

  /**
   * Withdraws the topics from the person, wherever they are now: a merged-away customer's
   * consent is withdrawn on the customer it became; an erased one (or one being erased) is
   * mailed no more anyway, so there is nothing left to record. The topics whose state changed.
   */
  async function withdrawFromPerson(customerId: string, topics: readonly Topic[], origin: Origin, context: CommandContext): Promise<string[]> {
    const withdrawn: string[] = [];
    let person = customerId;
    for (let hop = 0; hop < 5; hop++) {
      try {
        for (const t of topics) {
          const before = await stateOf(person, t.id);
          const after = await withdraw(person, t.id, origin, context);
          if (before !== after) withdrawn.push(t.id);
        }
        return withdrawn;
      } catch (error) {
        if (!isCustomerGone(error) || error instanceof CustomerNotFoundError) throw error;
        if (!(error instanceof CustomerMergedError)) return withdrawn;
        person = error.targetId;
      }
    }
    return withdrawn;
  }

  async function marketingTopics(): Promise<Topic[]> {
    return (await consents.topics()).filter((t) => t.purpose === 'marketing');
  }

  async function marketingTopic(id: string): Promise<Topic> {
    const found = (await marketingTopics()).find((t) => t.id === id);
    if (!found) throw new ValidationError(`${id} is not a marketing topic.`);
    return found;
  }

  /** The proof (token id) of the newest opt-in request of a topic. */
  async function latestRequest(customerId: string, topicId: string): Promise<string | null | undefined> {
    return latestRequestProof(await consents.ledger(customerId), topicId);
  }

  async function optInPayload(token: string) {
    const payload = await tokens.verify(token, clock.now());
    if (payload === 'expired') throw new TokenExpiredError('This confirmation link has expired. Ask for a new one.');
    if (payload === 'invalid' || payload.purpose !== 'optin') throw new ValidationError('This confirmation link is not valid.');
    return payload;
  }

  async function unsubscribePayload(token: string) {
    const payload = await tokens.verify(token, clock.now());
    if (payload === 'invalid' || payload === 'expired' || payload.purpose !== 'unsubscribe') throw new ValidationError('This unsubscribe link is not valid.');
    return payload;
  }

  /** The link to the preference page: an unsubscribe token, as in every marketing email. */
  function preferencesToken(customerId: string, topicId: string): Promise<string> {
    return tokens.sign({ purpose: 'unsubscribe', customerId, topic: topicId, id: ids.next() });
  }

  return {
    topics: () => consents.topics(),
    putTopics: (topics: readonly Topic[]) => consents.putTopics(topics),

    async consents(customerId: string): Promise<{ topics: TopicState[]; ledger: LedgerEntry[] }> {
      await recipient(customerId);
      const states = await consents.states(customerId);
      const all = await consents.topics();
      return {
        topics: all.map((t) => states.find((s) => s.topic === t.id) ?? { topic: t.id, state: 'none' as const, updatedAt: null }),
        ledger: await consents.ledger(customerId),
      };
    },

    /** POST /customers/{id}/consents. `grant` records consent obtained elsewhere (admins only). */
    async command(customerId: string, command: ConsentCommand, actor: { roles: readonly string[] }, baseUrl: string, context: CommandContext) {
      const person = await recipient(customerId);
      const wanted = await topic(command.topic);
      const origin: Origin = {
        source: command.source,
        ...(command.ip ? { ip: command.ip } : {}),
        ...(command.userAgent ? { userAgent: command.userAgent } : {}),
        ...('textVersion' in command && command.textVersion ? { textVersion: command.textVersion } : {}),
      };
      switch (command.action) {
        case 'request':
          return requestOptIn(person, wanted, origin, baseUrl, context);
        case 'grant': {
          if (!actor.roles.includes('admin')) throw new ForbiddenActionError('Only an admin may record consent obtained elsewhere.');
          const state = await transition(
            customerId,
            command.topic,
            (current) =>
              current === 'subscribed'
                ? undefined
                : {
                    entry: entry(customerId, command.topic, 'granted', origin, { legalBasis: command.legalBasis, proof: command.proof }),
                    to: 'subscribed',
                    events: [ConsentGranted.of({ customerId, topic: command.topic, source: origin.source, legalBasis: command.legalBasis })],
                  },
            context,
          );
          return { state };
        }
        case 'withdraw':
          return { state: await withdraw(customerId, command.topic, origin, context) };
      }
    },

    /** GET /optin/confirm: what the link would confirm, changing nothing (mail scanners follow links). */
    async describeOptIn(token: string): Promise<{ topic: Topic }> {
      const payload = await optInPayload(token);
      const wanted = await topic(payload.topic);
      await recipient(payload.customerId);
      const state = await stateOf(payload.customerId, payload.topic);
      if (state !== 'subscribed' && (state !== 'pending' || (await latestRequest(payload.customerId, payload.topic)) !== payload.id)) {
        throw new TokenExpiredError('This confirmation link was superseded. Please subscribe again.');
      }
      return { topic: wanted };
    },

    /** POST /optin/confirm: confirming twice is fine; expired -> 410; tampered -> 400. */
    async confirm(token: string, context: CommandContext): Promise<{ topic: Topic; state: ConsentState; preferencesToken: string }> {
      const payload = await optInPayload(token);
      const wanted = await topic(payload.topic);
      await recipient(payload.customerId);
      // Only the newest request's link confirms: a withdrawal or a newer request supersedes it.
      const superseded = (await latestRequest(payload.customerId, payload.topic)) !== payload.id;
      const state = await transition(
        payload.customerId,
        payload.topic,
        (current) => {
          if (current === 'subscribed') return undefined;
          // A withdrawal after the request supersedes its link: an old email cannot re-subscribe.
          if (current !== 'pending' || superseded) throw new TokenExpiredError('This confirmation link was superseded. Please subscribe again.');
          return {
                entry: entry(payload.customerId, payload.topic, 'confirmed', { source: 'form' }, { proof: payload.id }),
                to: 'subscribed',
                events: [ConsentConfirmed.of({ customerId: payload.customerId, topic: payload.topic, source: 'form' })],
              };
        },
        context,
      );
      return { topic: wanted, state, preferencesToken: await preferencesToken(payload.customerId, payload.topic) };
    },

    /**
     * The token names a customer and topic; `all` withdraws every marketing topic, `topic` another
     * marketing topic of the same person (the preference page). Idempotent.
     */
    async unsubscribe(token: string, scope: { all: boolean; topic?: string }, context: CommandContext): Promise<{ topics: Topic[] }> {
      const payload = await unsubscribePayload(token);
      const topics = scope.all ? await marketingTopics() : [scope.topic === undefined ? await topic(payload.topic) : await marketingTopic(scope.topic)];
      try {
        const origin: Origin = { source: 'unsubscribe_link', ...(payload.campaignId ? { campaignId: payload.campaignId } : {}) };
        await withdrawFromPerson(payload.customerId, topics, origin, context);
      } catch (error) {
        if (error instanceof CustomerNotFoundError) throw new NotFoundError('Nothing to unsubscribe.');
        throw error;
      }
      return { topics };
    },

    /** GET /unsubscribe: the link's topic and whether there is anything left to unsubscribe from. */
    async describeUnsubscribe(token: string): Promise<{ topic: Topic; unsubscribed: boolean }> {
      const payload = await unsubscribePayload(token);
      const state = await stateOf(payload.customerId, payload.topic);
      return { topic: await topic(payload.topic), unsubscribed: state === 'unsubscribed' || state === 'none' };
    },

    /**
     * GET /preferences?token=: the person an unsubscribe link names, without signing in: each
     * marketing topic with its state. Subscribing again needs a double opt-in, not a link.
     */
    async preferencePage(token: string): Promise<{ topics: { topic: Topic; state: ConsentState }[] }> {
      const payload = await unsubscribePayload(token);
      if ((await consents.recipient(payload.customerId)) === undefined) throw new NotFoundError('Nothing to show for this link.');
      const states = await consents.states(payload.customerId);
      return { topics: (await marketingTopics()).map((t) => ({ topic: t, state: topicState(states, t.id) })) };
    },

    /** GET /me/consents: one flag per topic, true while consent is given or awaits confirmation (what PUT takes). */
    async myPreferences(customerId: string): Promise<{ topics: Record<string, boolean> }> {
      await recipient(customerId);
      const states = await consents.states(customerId);
      const flags = (await consents.topics()).map((t) => [t.id, WANTED.has(topicState(states, t.id))] as const);
      return { topics: Object.fromEntries(flags) };
    },

    /**
     * PUT /me/consents: true starts a double opt-in, false withdraws; a flag that matches the
     * current wish changes nothing, so GET's answer sent back as is is a no-op.
     */
    async preferences(customerId: string, wanted: Readonly<Record<string, boolean>>, baseUrl: string, context: CommandContext) {
      const known = await consents.topics();
      const chosen = Object.entries(wanted).map(([topicId, on]) => {
        const found = known.find((t) => t.id === topicId);
        if (!found) throw new UnknownTopicError(topicId);
        return { topic: found, on };
      });
      const states = await consents.states(customerId);
      let person: Recipient | undefined;
      for (const { topic: chosenTopic, on } of chosen) {
        if (WANTED.has(topicState(states, chosenTopic.id)) === on) continue;
        if (!on) {
          await withdraw(customerId, chosenTopic.id, { source: 'preference_center' }, context);
          continue;
        }
        person ??= await recipient(customerId);
        await requestOptIn(person, chosenTopic, { source: 'preference_center' }, baseUrl, context);
      }
    },

    suppressions: (query: { limit: number; cursor?: string }) => consents.suppressions(query),

    async unsuppress(email: string): Promise<void> {
      if (!(await consents.unsuppress(email.toLowerCase()))) throw new NotFoundError(`${email} is not suppressed.`);
    },

    /** POST /customers/{id}/emails: one marketing email through the gate, with one-click unsubscribe. */
    async sendMarketing(customerId: string, input: MarketingEmailInput, baseUrl: string, context: CommandContext): Promise<EmailOutcome> {
      const wanted = await topic(input.topic);
      if (wanted.purpose !== 'marketing') throw new UnprocessableError(`Topic ${wanted.id} is for service mail, not marketing.`);
      const person = await consents.recipient(customerId);
      if (person === undefined) throw new CustomerNotFoundError(customerId);
      const token = await tokens.sign({ purpose: 'unsubscribe', customerId, topic: wanted.id, id: ids.next() });
      const unsubscribeUrl = `${baseUrl}/unsubscribe?token=${encodeURIComponent(token)}`;
      // Profile values are stored data (names may hold CR/LF): the subject stays one line.
      const subject = person === 'erased' ? input.subject : headerSafe(personalise(input.subject, person, false));
      const text = person === 'erased' ? input.text : personalise(input.text, person, false);
      const html = input.html && person !== 'erased' ? personalise(input.html, person, true) : input.html;
      return gate.send(
        {
          kind: 'marketing',
          customerId,
          topic: wanted.id,
          to: person === 'erased' ? [] : [person.email],
          subject,
          text: `${text}\n\n--\nUnsubscribe: ${unsubscribeUrl}`,
          ...(html ? { html: `${html}<hr><p><a href="${escapeHtml(unsubscribeUrl)}">Unsubscribe</a></p>` } : {}),
          headers: { 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
        },
        context,
      );
    },

    /** SES feedback: a hard bounce suppresses the address; a complaint also withdraws all marketing. */
    async bounce(recipients: readonly string[], bounceType: string, context: CommandContext) {
      const permanent = bounceType === 'Permanent';
      for (const raw of recipients) {
        const email = raw.toLowerCase();
        const customerId = (await consents.customerIdByEmail(email)) ?? null;
        const events: DomainEvent[] = [EmailBounced.of({ bounceType, customerId, suppressed: permanent })];
        if (permanent) {
          const suppressed = await consents.suppress(
            { email, reason: 'bounce', at: clock.now().toISOString(), detail: bounceType },
            [...events, EmailSuppressed.of({ reason: 'bounce', customerId })],
            context,
          );
          if (!suppressed) await consents.append([], [], events, context); // already suppressed: the bounce is still news
        } else {
          await consents.recordDelivery(
            { id: ids.next(), customerId, at: clock.now().toISOString(), kind: 'service', topic: null, subject: '(bounce)', outcome: 'blocked', reason: `bounce:${bounceType}`, messageId: null },
            events,
            context,
          );
        }
      }
    },

    async complaint(recipients: readonly string[], context: CommandContext) {
      for (const raw of recipients) {
        const email = raw.toLowerCase();
        const customerId = (await consents.customerIdByEmail(email)) ?? null;
        // The address is suppressed below whatever became of the person.
        const withdrawn = customerId ? await withdrawFromPerson(customerId, await marketingTopics(), { source: 'ses_feedback' }, context).catch(ignoreUnknown) : [];
        const complained = EmailComplained.of({ customerId, withdrawnTopics: withdrawn });
        const suppressed = await consents.suppress(
          { email, reason: 'complaint', at: clock.now().toISOString(), detail: null },
          [EmailSuppressed.of({ reason: 'complaint', customerId }), complained],
          context,
        );
        if (!suppressed) await consents.append([], [], [complained], context);
      }
    },

    anonymize: (customerId: string) => consents.anonymize(customerId),
  };
}

/** SES feedback about an address whose owner is unknown to us: only the suppression matters. */
function ignoreUnknown(error: unknown): string[] {
  if (error instanceof CustomerNotFoundError) return [];
  throw error;
}

export type ConsentUseCases = ReturnType<typeof consentUseCases>;
