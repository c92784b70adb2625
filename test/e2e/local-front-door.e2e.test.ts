import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killStartedProcesses, type LocalProcess, startLocalProcess, waitFor } from '../support/local-process.ts';

// The first hour with `npm start`: GET /_local says where things are (GET / is the console once built), /docs renders the OpenAPI
// document, GET /_local/clock shows the virtual time, and every request leaves one log line.

let run: LocalProcess;
beforeAll(async () => {
  run = await startLocalProcess();
});
afterAll(() => killStartedProcesses());

const logLines = () => run.output().split('\n').filter((line) => line.startsWith('[http] '));

describe('the local front door (npm start)', () => {
  it('GET /_local links to the docs, the OpenAPI document, health, events, clock and the SES inbox', async () => {
    const page = await fetch(`${run.api}/_local`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    for (const href of ['/docs', '/openapi.json', '/health', '/_local/events?limit=50', '/_local/clock', `http://127.0.0.1:${run.ports.ses}/`]) {
      expect(html).toContain(`href="${href}"`);
    }
    const json = await fetch(`${run.api}/_local`, { headers: { accept: 'application/json' } });
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect(((await json.json()) as { links: { rel: string; href: string }[] }).links).toContainEqual(expect.objectContaining({ rel: 'docs', href: '/docs' }));
  });

  it('/docs renders /openapi.json with Swagger UI served from node_modules', async () => {
    const page = await fetch(`${run.api}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    const scripts = [...html.matchAll(/<script src="([^"]+)"/g)].map((m) => m[1]!);
    const styles = [...html.matchAll(/<link rel="stylesheet" href="([^"]+)"/g)].map((m) => m[1]!);
    expect(scripts).toEqual(['/docs/swagger-ui-bundle.js', '/docs/init.js']);
    for (const asset of [...scripts, ...styles]) {
      const res = await fetch(`${run.api}${asset}`);
      expect(res.status, asset).toBe(200);
      expect(res.headers.get('content-type'), asset).toMatch(asset.endsWith('.css') ? /^text\/css/ : /^text\/javascript/);
    }
    expect(await (await fetch(`${run.api}/docs/swagger-ui-bundle.js`)).text()).toContain('SwaggerUIBundle');
    expect(await (await fetch(`${run.api}/docs/init.js`)).text()).toContain("url: '/openapi.json'");
    expect((await fetch(`${run.api}/openapi.json`)).status).toBe(200);
  });

  it('GET /_local/clock returns the virtual time and its offset, which advance moves', async () => {
    const before = await run.call('GET', '/_local/clock', { role: null });
    expect(before.status).toBe(200);
    expect(Math.abs(Date.parse(before.json.now) - Date.now() - before.json.offsetSeconds * 1000)).toBeLessThan(5000);
    expect((await run.call('POST', '/_local/clock/advance', { role: null, body: { seconds: 120 } })).status).toBe(200);
    const after = await run.call('GET', '/_local/clock', { role: null });
    expect(after.json.offsetSeconds).toBe(before.json.offsetSeconds + 120);
    expect(Date.parse(after.json.now) - Date.now()).toBeGreaterThan(after.json.offsetSeconds * 1000 - 5000);
  });

  it('logs one line per request with method, path, status, duration and the caller\'s correlation id, and echoes it', async () => {
    const res = await run.call('GET', '/customers?limit=1', { headers: { 'x-correlation-id': 'first-hour-42' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-correlation-id')).toBe('first-hour-42');
    expect(await waitFor(() => logLines().some((l) => l.includes('correlation=first-hour-42')), 5000)).toBe(true);
    const lines = logLines().filter((l) => l.includes('correlation=first-hour-42'));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[http\] GET \/customers 200 \d+ms correlation=first-hour-42$/);
  });

  it('generates a correlation id when the request has none (or an unusable one), and logs 401s too', async () => {
    const res = await run.call('GET', '/customers', { role: null, headers: { 'x-correlation-id': 'has spaces; and=more' } });
    expect(res.status).toBe(401);
    const id = res.headers.get('x-correlation-id')!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const line = new RegExp(`^\\[http\\] GET /customers 401 \\d+ms correlation=${id}$`);
    expect(await waitFor(() => logLines().some((l) => line.test(l)), 5000)).toBe(true);
  });

  it('never logs the query string (opt-in and unsubscribe links carry tokens there)', async () => {
    await run.call('GET', '/optin/confirm?token=secret-token-value', { role: null });
    await new Promise((r) => setTimeout(r, 200));
    expect(run.output()).not.toContain('secret-token-value');
    expect(logLines().some((l) => l.startsWith('[http] GET /optin/confirm '))).toBe(true);
  });
});
