import { escapeHtml } from '#domain/consent/email-gate.ts';
import { DomainError } from '#domain/shared/errors.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import type { ConsentApp } from './consent.http.ts';
import { page } from './pages.ts';

/** GET /optin/confirm?token= (public): a page, not JSON, because a person clicked a link. */
export const confirmOptInHandler: RouteHandler<ConsentApp> = async (request, app) => {
  const token = request.query.token ?? '';
  try {
    const { topic } = await app.consent.confirm(token, { correlationId: request.requestId });
    return page(200, 'Subscription confirmed', `<p>Thank you. You will receive <b>${escapeHtml(topic.name)}</b>.</p><p>Every email has a link to unsubscribe.</p>`);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    if (error.kind === 'gone') return page(410, 'Link expired', '<p>This confirmation link has expired. Please subscribe again to get a new one.</p>');
    if (error.kind === 'validation') return page(400, 'Link not valid', '<p>This confirmation link is not valid. Please use the link from the email exactly as it was sent.</p>');
    return page(404, 'Not found', '<p>There is nothing to confirm for this link.</p>');
  }
};
