import { escapeHtml } from '#domain/consent/email-gate.ts';
import { DomainError } from '#domain/shared/errors.ts';
import type { HttpRequest, RouteHandler } from '../shared/http-app.ts';
import { formFields } from '../shared/request.ts';
import type { ConsentApp } from './consent.http.ts';
import { confirmForm, page, preferencesLink } from './pages.ts';

// Pages, not JSON: a person clicked a link. GET only shows what the link would confirm, because
// mail scanners follow every link in a message; the button's POST confirms.

function failure(error: unknown) {
  if (!(error instanceof DomainError)) throw error;
  if (error.kind === 'gone') return page(410, 'Link expired', '<p>This confirmation link has expired. Please subscribe again to get a new one.</p>');
  if (error.kind === 'validation') return page(400, 'Link not valid', '<p>This confirmation link is not valid. Please use the link from the email exactly as it was sent.</p>');
  return page(404, 'Not found', '<p>There is nothing to confirm for this link.</p>');
}

/** GET /optin/confirm?token= (public). */
export const optInPageHandler: RouteHandler<ConsentApp> = async (request, app) => {
  const token = request.query.token ?? '';
  try {
    const { topic } = await app.consent.describeOptIn(token);
    return page(200, 'Confirm your subscription', confirmForm(token, topic.name));
  } catch (error) {
    return failure(error);
  }
};

/** The page's form sends the token in its body; a client may also put it in the query. */
const tokenOf = (request: HttpRequest) => formFields(request).get('token') ?? request.query.token ?? '';

/** POST /optin/confirm (public, form body `token=`). */
export const confirmOptInHandler: RouteHandler<ConsentApp> = async (request, app) => {
  try {
    const { topic, preferencesToken } = await app.consent.confirm(tokenOf(request), { correlationId: request.correlationId });
    return page(
      200,
      'Subscription confirmed',
      `<p>Thank you. You will receive <b>${escapeHtml(topic.name)}</b>.</p><p>Every email has a link to unsubscribe.</p>${preferencesLink(request.baseUrl, preferencesToken)}`,
    );
  } catch (error) {
    return failure(error);
  }
};
