import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { escapeHtml } from '#domain/consent/email-gate.ts';
import type { LocalEndpoint } from './gateway.ts';

// The local front door: GET /_local (and GET / when the console is not built) says where things are; /docs renders /openapi.json with Swagger UI
// served from node_modules (swagger-ui-dist, a devDependency: never in a Lambda bundle, and
// offline like the rest of `npm start`).

const require = createRequire(import.meta.url);
const SWAGGER_UI = dirname(require.resolve('swagger-ui-dist/package.json'));
const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>eCRM API (local)</title>
<link rel="icon" href="/docs/favicon-32x32.png">
<link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;
// A file rather than an inline script, so the page also works under a strict CSP.
const DOCS_INIT = `window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#swagger-ui', deepLinking: true, persistAuthorization: true });\n`;

export interface LocalLinks {
  readonly sesInbox: string;
}

function links(base: LocalLinks) {
  return [
    { rel: 'docs', href: '/docs', title: 'API reference (Swagger UI)' },
    { rel: 'openapi', href: '/openapi.json', title: 'OpenAPI 3.1 document' },
    { rel: 'health', href: '/health', title: 'Health' },
    { rel: 'events', href: '/_local/events?limit=50', title: 'Recent events on the local bus' },
    { rel: 'clock', href: '/_local/clock', title: 'Virtual clock (POST /_local/clock/advance {"seconds": n} moves it)' },
    { rel: 'ses-inbox', href: base.sesInbox, title: 'Local SES inbox (every email sent)' },
  ];
}

function homePage(base: LocalLinks, api: string): string {
  const items = links(base)
    .map((l) => `<li><a href="${escapeHtml(l.href)}">${escapeHtml(l.title)}</a> <code>${escapeHtml(l.href)}</code></li>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>eCRM (local)</title></head>
<body>
<h1>eCRM is running locally</h1>
<p>The API lives at <code>${escapeHtml(api)}</code>. Start with the <a href="/docs">API reference</a>; get a token with <code>npm run -s token -- --role agent</code>.</p>
<ul>
${items}
</ul>
</body>
</html>
`;
}

const wantsJson = (accept: string | undefined) => !!accept && /application\/json/i.test(accept) && !/text\/html/i.test(accept);

export function docsEndpoints(base: LocalLinks): LocalEndpoint[] {
  const cache = new Map<string, Buffer>();
  const asset = (name: string) => {
    if (!cache.has(name)) cache.set(name, readFileSync(join(SWAGGER_UI, name)));
    return cache.get(name)!;
  };
  const html = { 'content-type': 'text/html; charset=utf-8' };
  return [
    // At /_local always, and at / unless the console is built (then it is at /: console-site.ts).
    ...['/', '/_local'].map((path) => ({
      method: 'GET',
      path,
      handle: async (req: IncomingMessage) =>
        wantsJson(req.headers.accept)
          ? { status: 200, body: { links: links(base) } }
          : { status: 200, raw: homePage(base, `http://${req.headers.host ?? 'localhost'}`), headers: html },
    })),
    { method: 'GET', path: '/docs', handle: async () => ({ status: 200, raw: DOCS_PAGE, headers: html }) },
    { method: 'GET', path: '/docs/init.js', handle: async () => ({ status: 200, raw: DOCS_INIT, headers: { 'content-type': 'text/javascript; charset=utf-8' } }) },
    ...Object.entries(ASSETS).map(([name, type]) => ({
      method: 'GET',
      path: `/docs/${name}`,
      handle: async () => ({ status: 200, raw: asset(name), headers: { 'content-type': type, 'cache-control': 'public, max-age=3600' } }),
    })),
  ];
}
