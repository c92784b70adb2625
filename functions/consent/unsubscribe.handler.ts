import { escapeHtml } from '#domain/consent/email-gate.ts';
import { DomainError } from '#domain/shared/errors.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { formFields } from '../shared/request.ts';
import type { ConsentApp } from './consent.http.ts';
import { page, unsubscribeForm } from './pages.ts';

const invalid = () => page(400, 'Link not valid', '<p>This unsubscribe link is not valid. Please use the link from the email exactly as it was sent.</p>');

/** GET /unsubscribe?token=: a page asking to confirm (mail scanners follow GET links). */
export const unsubscribePageHandler: RouteHandler<ConsentApp> = async (request, app) => {
  const token = request.query.token ?? '';
  try {
    const { topic } = app.consent.describeUnsubscribe(token);
    return page(200, 'Unsubscribe', unsubscribeForm(token, topic));
  } catch (error) {
    if (error instanceof DomainError) return invalid();
    throw error;
  }
};

/**
 * POST /unsubscribe?token= (RFC 8058 one-click: body `List-Unsubscribe=One-Click`; the page's
 * second button sends `scope=all`). No auth, idempotent, takes effect at once.
 */
export const unsubscribeHandler: RouteHandler<ConsentApp> = async (request, app) => {
  const token = request.query.token ?? '';
  const all = formFields(request).get('scope') === 'all';
  try {
    const { topics } = await app.consent.unsubscribe(token, all, { correlationId: request.requestId });
    const names = topics.map((t) => escapeHtml(t.name)).join(', ');
    return page(200, 'Unsubscribed', `<p>You will no longer receive: <b>${names || 'marketing email'}</b>.</p>`);
  } catch (error) {
    if (error instanceof DomainError) return invalid();
    throw error;
  }
};
