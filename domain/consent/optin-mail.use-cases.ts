import { headerSafe } from '../shared/email.ts';
import { onceOnly } from '../shared/once.ts';
import type { Clock, CommandContext, OnceGuard } from '../shared/ports.ts';
import type { ConsentRepository } from './consent.repository.ts';
import { latestRequestProof, topicState } from './consent.schema.ts';
import { OPTIN_TTL_SECONDS } from './consent.use-cases.ts';
import { type EmailGate, escapeHtml } from './email-gate.ts';
import type { TokenSigner } from './tokens.ts';

/** What a ConsentRequested event says about the request (see events/consent-requested.event.ts). */
export interface OptInRequest {
  readonly customerId: string;
  readonly topic: string;
  readonly requestId: string;
  readonly linkBase: string;
}

export type OptInMailOutcome = 'sent' | 'blocked' | 'superseded' | 'nobody' | 'duplicate';

/**
 * The double opt-in mail, sent by the ConsentRequested consumer: once per event (claimed by its
 * id, done only after the gate sent or refused it and recorded that, given up on failure so the
 * retried delivery sends it), and recorded once under the event's key.
 */
export function optInMail({ consents, gate, tokens, clock, once }: { consents: ConsentRepository; gate: EmailGate; tokens: TokenSigner; clock: Clock; once: OnceGuard }) {
  async function send(eventId: string, request: OptInRequest, context: CommandContext): Promise<Exclude<OptInMailOutcome, 'duplicate'>> {
    const { customerId, topic: topicId, requestId } = request;
    const person = await consents.recipient(customerId);
    // Erased or never there: nothing to send, and nothing to write into an erased partition.
    if (person === undefined || person === 'erased') return 'nobody';
    const topic = (await consents.topics()).find((t) => t.id === topicId);
    if (!topic) return 'nobody';
    // Only the newest request of a topic still pending is mailed: its link is the only one that confirms.
    const state = topicState(await consents.states(customerId), topicId);
    if (state !== 'pending' || latestRequestProof(await consents.ledger(customerId), topicId) !== requestId) return 'superseded';

    // The link is valid for 48 h from when the mail goes out, however long SES was away.
    const exp = Math.floor(clock.now().getTime() / 1000) + OPTIN_TTL_SECONDS;
    const token = await tokens.sign({ purpose: 'optin', customerId, topic: topicId, id: requestId, exp });
    const link = `${request.linkBase}/optin/confirm?token=${encodeURIComponent(token)}`;
    const outcome = await gate.send(
      {
        kind: 'service',
        customerId,
        topic: topicId,
        to: [person.email],
        subject: `Please confirm: ${headerSafe(topic.name)}`,
        text: `Please confirm that you want to receive "${topic.name}".\n\nConfirm: ${link}\n\nIf you did not ask for this, ignore this email and nothing will be sent.`,
        html: `<p>Please confirm that you want to receive <b>${escapeHtml(topic.name)}</b>.</p><p><a href="${escapeHtml(link)}">Confirm</a></p><p>If you did not ask for this, ignore this email and nothing will be sent.</p>`,
        deliveryKey: `optin#${eventId}`,
      },
      context,
    );
    return outcome.outcome;
  }

  return {
    send: (eventId: string, request: OptInRequest, context: CommandContext): Promise<OptInMailOutcome> => onceOnly(once, `optin#${eventId}`, () => send(eventId, request, context)),
  };
}

export type OptInMail = ReturnType<typeof optInMail>;
