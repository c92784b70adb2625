import { mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Role } from '../../infra/topology.ts';
import { startTestRuntime, type TestRuntime } from './local-runtime.ts';

// The console in a real browser: one local runtime serving the console built for the run (global
// setup) and one Chromium (Debian's, or CHROMIUM_PATH) per test file; each signedIn() is a fresh
// browser context (its own sessionStorage), so tests in a file never share a session.

export type { Page } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = join(import.meta.dirname, '../../docs/screenshots');
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
/** The key web/src/auth/session.ts keeps the session under. */
const SESSION_KEY = 'ecrm.session';

export interface SignInOptions {
  customerId?: string;
  accountId?: string;
  /** CSS pixels; 390 checks the phone layout. Default 1280 x 800. */
  width?: number;
  /** The hash path to open (default "/": the home screen). */
  path?: string;
}

export interface ConsoleHarness {
  /** The runtime handle: seed data through the API (t.call), advance the virtual clock. */
  t: TestRuntime;
  /** The console's address (the runtime's origin). */
  url: string;
  browser: Browser;
  /** A page signed in as `role` (a token of the local issuer, as the sign-in screen gets one), on the home screen. */
  signedIn(role: Role, options?: SignInOptions): Promise<Page>;
  /** A page with nobody signed in (the sign-in screen). */
  anonymous(options?: Pick<SignInOptions, 'width' | 'path'>): Promise<Page>;
  close(): Promise<void>;
}

function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
}

export async function startConsole(): Promise<ConsoleHarness> {
  const [t, browser] = await Promise.all([
    startTestRuntime(),
    // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
    chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] }),
  ]);
  const url = t.runtime.url;

  async function open(session: Record<string, unknown> | undefined, options: Pick<SignInOptions, 'width' | 'path'> = {}) {
    const width = options.width ?? 1280;
    const context = await browser.newContext({ viewport: { width, height: width < 600 ? 844 : 800 }, baseURL: url });
    if (session) {
      // Before the app's first script, once per tab: a later sign-out must stay signed out on reload.
      await context.addInitScript(
        ([key, value]) => {
          if (sessionStorage.getItem('ecrm.test.seeded')) return;
          sessionStorage.setItem('ecrm.test.seeded', '1');
          sessionStorage.setItem(key, value);
        },
        [SESSION_KEY, JSON.stringify(session)] as const,
      );
    }
    const page = await context.newPage();
    page.on('pageerror', (error) => {
      throw new Error(`console script error: ${error.message}`);
    });
    await page.goto(`/#${options.path ?? '/'}`);
    return page;
  }

  return {
    t,
    url,
    browser,
    async signedIn(role, options = {}) {
      const response = await fetch(`${url}/_local/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ role, ...(options.customerId ? { customerId: options.customerId } : {}), ...(options.accountId ? { accountId: options.accountId } : {}) }),
      });
      if (response.status !== 200) throw new Error(`POST /_local/sign-in answered ${response.status}: ${await response.text()}`);
      const { token } = (await response.json()) as { token: string };
      const claims = claimsOf(token);
      const session = {
        token,
        role,
        sub: claims.sub,
        ...(options.customerId ? { customerId: options.customerId } : {}),
        ...(options.accountId ? { accountId: options.accountId } : {}),
        expiresAt: (claims.exp as number) * 1000,
      };
      const page = await open(session, options);
      await page.locator('main h1').first().waitFor();
      return page;
    },
    async anonymous(options = {}) {
      const page = await open(undefined, options);
      await page.locator('h1').first().waitFor();
      return page;
    },
    async close() {
      await Promise.allSettled([browser.close(), t.runtime.stop()]);
    },
  };
}

interface AxeViolation {
  id: string;
  impact?: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** axe-core on the page as it is now: fails on any serious or critical violation, naming each. */
export async function expectAccessible(page: Page, label: string) {
  // The callbacks run in the page (globalThis is its window); this file is type-checked without the DOM.
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: () => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run();
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    blocking.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')})`),
    `accessibility of ${label}`,
  ).toEqual([]);
}

/** docs/screenshots/<name>.png, only when UPDATE_SCREENSHOTS=1 (npm run screenshots). */
export async function screenshot(page: Page, name: string) {
  if (process.env.UPDATE_SCREENSHOTS !== '1') return;
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
