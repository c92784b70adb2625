import type { CampaignMailer, MailResult, Pacer } from '#domain/campaigns/delivery.repository.ts';
import type { EmailSender } from '#domain/shared/email.ts';

// SES's answers in the terms campaign delivery needs: a message that SES did not take may be sent
// again; one whose fate is unknown (the connection broke after the request went out) never is,
// because at most one message per recipient matters more than every recipient getting one.

/** SES saying "not now": the account's rate or quota, or sending paused. */
const NOT_NOW = new Set(['TooManyRequestsException', 'ThrottlingException', 'Throttling', 'LimitExceededException', 'SendingPausedException']);
/** The request never reached SES. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ENETDOWN', 'EHOSTDOWN']);

interface SdkLikeError {
  name?: unknown;
  code?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown };
}

export function mailResultOf(error: unknown): Exclude<MailResult, { status: 'accepted' }> {
  const e = (error ?? {}) as SdkLikeError & { message?: unknown };
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  if (NOT_NOW.has(String(e.name)) || status === 429) return { status: 'retry' };
  if (status !== undefined && status >= 500) return { status: 'retry' };
  if (typeof e.code === 'string' && NOT_CONNECTED.has(e.code)) return { status: 'retry' };
  if (status !== undefined) return { status: 'refused', reason: String(e.name ?? 'rejected') };
  // An error before any request (the mailer refused the message itself) sent nothing, for good.
  if (e.code === undefined && e.$fault === undefined && e.name !== 'TimeoutError') return { status: 'refused', reason: 'invalid_message' };
  return { status: 'unconfirmed' };
}

export function campaignMailer(sender: EmailSender): CampaignMailer {
  return {
    async send(message) {
      try {
        const { messageId } = await sender.send(message);
        return { status: 'accepted', messageId };
      } catch (error) {
        return mailResultOf(error);
      }
    },
  };
}

/**
 * Holds one lane to `perSecond` messages (the account's rate divided by the lanes); 0: unpaced.
 * One per Lambda instance: an instance handles one batch at a time, so it paces one lane.
 */
export function intervalPacer(perSecond: number, sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)), now = () => performance.now()): Pacer {
  const gap = perSecond > 0 ? 1000 / perSecond : 0;
  let nextAt = 0;
  return {
    async next() {
      if (gap === 0) return;
      // The slot is taken before waiting, so recipients worked on at once still go out one gap apart.
      const slot = Math.max(now(), nextAt);
      nextAt = slot + gap;
      const wait = slot - now();
      if (wait > 0) await sleep(wait);
    },
    async backOff(attempt) {
      // Throttled: wait long enough for the account's window to roll (capped), jittered.
      await sleep(gap === 0 ? 10 * attempt : Math.min(30_000, 1000 * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2));
    },
  };
}
