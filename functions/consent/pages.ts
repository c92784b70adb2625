import { escapeHtml } from '#domain/consent/email-gate.ts';
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

export function unsubscribeForm(token: string, topic: string): string {
  const action = `?token=${encodeURIComponent(token)}`;
  return `<p>Unsubscribe from <b>${escapeHtml(topic)}</b>?</p>
<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>
<form method="post" action="${escapeHtml(action)}"><input type="hidden" name="scope" value="all"><button type="submit">Unsubscribe from all marketing email</button></form>`;
}
