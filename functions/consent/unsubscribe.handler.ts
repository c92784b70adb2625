import { escapeHtml } from '#domain/consent/email-gate.ts';
import { DomainError } from '#domain/shared/errors.ts';
import type { RouteHandler } from '../shared/http-app.ts';
import { formFields } from '../shared/request.ts';
import type { ConsentApp } from './consent.http.ts';
import { page, preferenceList, preferencesLink, unsubscribeForm } from './pages.ts';

const invalid = () => page(400, 'Link not valid', '<p>This unsubscribe link is not valid. Please use the link from the email exactly as it was sent.</p>');
const gone = () => page(404, 'Not found', '<p>There is nothing to show for this link.</p>');

function failure(error: unknown) {
  if (!(error instanceof DomainError)) throw error;
  return error.kind === 'not_found' ? gone() : invalid();
}

/** GET /unsubscribe?token=: a page asking to confirm (mail scanners follow GET links). */
export const unsubscribePageHandler: RouteHandler<ConsentApp> = async (request, app) => {
  const token = request.query.token ?? '';
  try {
    const { topic, unsubscribed } = await app.consent.describeUnsubscribe(token);
    if (unsubscribed) return page(200, 'Unsubscribed', `<p>You are already unsubscribed from <b>${escapeHtml(topic.name)}</b>.</p>${preferencesLink(request.baseUrl, token)}`);
    return page(200, 'Unsubscribe', unsubscribeForm(token, topic.name) + preferencesLink(request.baseUrl, token));
  } catch (error) {
    return failure(error);
  }
};

/**
 * POST /unsubscribe?token= (RFC 8058 one-click: body `List-Unsubscribe=One-Click`; the page's
 * second button sends `scope=all`, the preference page `topic=<id>`). No auth, idempotent, takes
 * effect at once; the answer says it is done and offers nothing to click again.
 */
export const unsubscribeHandler: RouteHandler<ConsentApp> = async (request, app) => {
  const token = request.query.token ?? '';
  const form = formFields(request);
  const topic = form.get('topic');
  try {
    const { topics } = await app.consent.unsubscribe(token, { all: form.get('scope') === 'all', ...(topic !== null ? { topic } : {}) }, { correlationId: request.correlationId });
    const names = topics.map((t) => escapeHtml(t.name)).join(', ');
    return page(200, 'Unsubscribed', `<p>Done. You will no longer receive: <b>${names || 'marketing email'}</b>.</p>${preferencesLink(request.baseUrl, token)}`);
  } catch (error) {
    return failure(error);
  }
};

/** GET /preferences?token= (public): the marketing topics of the person an unsubscribe link names. */
export const preferencesPageHandler: RouteHandler<ConsentApp> = async (request, app) => {
  const token = request.query.token ?? '';
  try {
    const { topics } = await app.consent.preferencePage(token);
    return page(200, 'Your email preferences', preferenceList(token, topics));
  } catch (error) {
    return failure(error);
  }
};
