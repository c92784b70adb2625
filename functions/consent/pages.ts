import { escapeHtml } from '#domain/consent/email-gate.ts';
import type { ConsentState } from '#domain/consent/consent.schema.ts';
import type { ApiResult } from '../shared/http-app.ts';

// Small, self-contained HTML pages for people clicking links in email (no scripts, no trackers).

export function page(status: number, title: string, body: string): ApiResult {
  return {
    statusCode: status,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
      'referrer-policy': 'no-referrer',
    },
    body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;line-height:1.5}button{font-size:1rem;padding:.5rem 1rem;margin:.25rem 0}</style></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
  };
}

const withToken = (url: string, token: string) => `${url}?token=${encodeURIComponent(token)}`;

/** The preference page's link; `token` is an unsubscribe token of the person. */
export function preferencesLink(baseUrl: string, token: string): string {
  return `<p><a href="${escapeHtml(withToken(`${baseUrl}/preferences`, token))}">Manage your email preferences</a></p>`;
}

/** GET /optin/confirm: the button that confirms (a POST, which mail scanners do not send). */
export function confirmForm(token: string, topic: string): string {
  return `<p>Do you want to receive <b>${escapeHtml(topic)}</b>?</p>
<form method="post" action="confirm"><input type="hidden" name="token" value="${escapeHtml(token)}"><button type="submit">Yes, subscribe me</button></form>
<p>If you did not ask for this, close this page: nothing will be sent.</p>`;
}

export function unsubscribeForm(token: string, topic: string): string {
  const action = `?token=${encodeURIComponent(token)}`;
  return `<p>Unsubscribe from <b>${escapeHtml(topic)}</b>?</p>
<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>
<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="scope" value="all"><button type="submit">Unsubscribe from all marketing email</button></form>`;
}

const STATE_WORDS: Record<ConsentState, string> = {
  none: 'not subscribed',
  pending: 'waiting for your confirmation',
  subscribed: 'subscribed',
  unsubscribed: 'unsubscribed',
};

/** One row per marketing topic; a button only where there is something to unsubscribe from. */
export function preferenceList(token: string, topics: readonly { topic: { id: string; name: string }; state: ConsentState }[]): string {
  const action = escapeHtml(withToken('unsubscribe', token));
  const rows = topics.map(({ topic, state }) => {
    const label = `<b>${escapeHtml(topic.name)}</b>: ${STATE_WORDS[state]}`;
    if (state !== 'subscribed' && state !== 'pending') return `<li>${label}</li>`;
    return `<li>${label}<form method="post" action="${action}"><input type="hidden" name="topic" value="${escapeHtml(topic.id)}"><button type="submit">Unsubscribe</button></form></li>`;
  });
  return `<ul>${rows.join('')}</ul><p>To subscribe to a topic, sign up where you first did: every subscription is confirmed by email.</p>`;
}
