import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, signWithLocalKey, verifyDevToken } from '../../infra/local/dev-jwt.ts';
import { ROLES } from '../../infra/topology.ts';
import { ROUTES } from '../../web/src/app/routes.tsx';
import { ROLE_LABELS } from '../../web/src/auth/roles.ts';
import { type ConsoleHarness, expectAccessible, type Page, screenshot, startConsole } from '../support/browser.ts';

// The console's frame in Chromium: sign-in with the local issuer, each role's home and navigation
// (exactly the ROUTES its role may open), the role guard, sign-out, a refused token sending the
// person back to sign-in, keyboard use, the 390 px layout, and axe on every screen of the shell.

let harness: ConsoleHarness;
let customerId: string;
beforeAll(async () => {
  harness = await startConsole();
  const created = await harness.t.call('POST', '/customers', { body: { email: 'ada@portal.test', firstName: 'Ada', lastName: 'Lovelace' } });
  customerId = created.json.id;
});
afterAll(() => harness?.close());

const navTitles = (role: string) => ROUTES.filter((r) => r.nav && (r.roles as string[]).includes(role)).map((r) => r.title);
const heading = (page: Page) => page.getByRole('heading', { level: 1 }).innerText();
const focusedText = (page: Page) => page.evaluate(() => (document.activeElement as HTMLElement | null)?.innerText?.trim() ?? '');

describe('the console shell', () => {
  it('signs in as each role on the local sign-in screen, shows its home and navigation, and signs out', async () => {
    const page = await harness.anonymous();
    expect(await heading(page)).toBe('Sign in to the eCRM console');
    expect(await page.title()).toBe('Sign in · eCRM console');
    await expectAccessible(page, 'sign-in screen');
    await screenshot(page, 'sign-in');
    for (const role of ROLES) {
      await page.getByRole('radio', { name: ROLE_LABELS[role], exact: true }).check();
      if (role === 'customer') await page.getByLabel('Customer id').fill(customerId);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const nav = page.getByRole('navigation', { name: 'Main' });
      await nav.waitFor();
      expect(await nav.getByRole('link').allInnerTexts(), role).toEqual(navTitles(role));
      expect(await heading(page)).toBe('Home');
      if (role === 'customer') await page.getByText('Hello, Ada Lovelace.').waitFor();
      else expect(await page.locator('main').innerText()).toContain(`Signed in as ${ROLE_LABELS[role]}`);
      await expectAccessible(page, `home (${role})`);
      if (role === 'agent') await screenshot(page, 'home-agent');
      if (role === 'customer') await screenshot(page, 'home-customer');
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
    }
    await page.reload();
    expect(await heading(page), 'signed out stays signed out').toBe('Sign in to the eCRM console');
    await page.context().close();
  });

  it('refuses a customer every staff route: none in the navigation, "not available" at its address', async () => {
    const page = await harness.signedIn('customer', { customerId });
    const staffOnly = ROUTES.filter((r) => !(r.roles as string[]).includes('customer'));
    expect(staffOnly.length).toBeGreaterThan(0);
    const nav = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').allInnerTexts();
    for (const route of staffOnly) {
      if (route.nav) expect(nav).not.toContain(route.title);
      const path = route.path.replace(/:(\w+)/g, 'x-$1');
      await page.goto(`/#${path}`);
      await page.getByRole('heading', { level: 1, name: 'Not available' }).waitFor();
      expect(await page.locator('main').innerText(), path).toContain('not available for your role (Customer)');
    }
    await expectAccessible(page, 'refused route (customer)');
    await page.context().close();
  });

  it('sends a person whose token the API refuses back to sign-in, saying the session ended', async () => {
    const page = await harness.signedIn('customer', { customerId });
    await page.getByText('Hello, Ada Lovelace.').waitFor();
    // A token the API refuses (expired an hour ago) while the console still thinks it valid: a
    // revoked or clock-skewed token looks the same to the browser.
    const now = Math.floor(Date.now() / 1000);
    const refused = await signWithLocalKey({ iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, sub: 'local-customer', iat: now - 7200, exp: now - 3600, 'cognito:groups': ['customer'], 'custom:customerId': customerId });
    await page.evaluate((token) => {
      const session = JSON.parse(sessionStorage.getItem('ecrm.session')!);
      sessionStorage.setItem('ecrm.session', JSON.stringify({ ...session, token }));
    }, refused);
    await page.reload();
    await page.getByText('Your session has ended. Sign in again to continue.').waitFor();
    expect(await heading(page)).toBe('Sign in to the eCRM console');
    await page.getByRole('radio', { name: 'Customer', exact: true }).check();
    await page.getByLabel('Customer id').fill(customerId);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Hello, Ada Lovelace.').waitFor();
    await page.context().close();
  });

  it('works by keyboard: the skip link, the navigation, and the focus on each new screen’s heading, always visible', async () => {
    const page = await harness.signedIn('agent');
    await page.keyboard.press('Tab');
    expect(await focusedText(page)).toBe('Skip to content');
    const box = await page.getByRole('link', { name: 'Skip to content' }).boundingBox();
    expect(box && box.y >= 0 && box.height > 0, 'the skip link shows when focused').toBe(true);
    const outline = () => page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(await outline()).not.toBe('none');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    await page.keyboard.press('Tab');
    expect(await focusedText(page), 'Tab from the skipped-to content reaches its first link').toBe('About the API');
    expect(await outline()).not.toBe('none');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'About the API' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    expect(await page.title()).toBe('About the API · eCRM console');
    await page.getByText('eCRM API').waitFor();
    await expectAccessible(page, 'about (agent)');
    await page.context().close();
  });

  it('fits 390 px wide without horizontal scrolling', async () => {
    for (const role of ['agent', 'customer'] as const) {
      const page = await harness.signedIn(role, { width: 390, ...(role === 'customer' ? { customerId } : {}) });
      const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
      expect(scroll, role).toBeLessThanOrEqual(client);
      await expectAccessible(page, `home at 390 px (${role})`);
      if (role === 'agent') await screenshot(page, 'home-agent-390');
      await page.context().close();
    }
  });

  it('is served beside the API: index.html at /, hashed assets cached for good, config.json for the local issuer', async () => {
    const index = await fetch(`${harness.url}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const assets = [...(await index.text()).matchAll(/(?:src|href)="\.\/(assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.some((a) => /^assets\/main-\w+\.js$/.test(a)) && assets.some((a) => /^assets\/main-\w+\.css$/.test(a)), assets.join()).toBe(true);
    for (const asset of assets) {
      const res = await fetch(`${harness.url}/${asset}`);
      expect(res.status, asset).toBe(200);
      expect(res.headers.get('cache-control'), asset).toBe('public, max-age=31536000, immutable');
    }
    expect(await (await fetch(`${harness.url}/config.json`)).json()).toEqual({ apiUrl: '', auth: { kind: 'local' } });
  });

  it('POST /_local/sign-in gives a token of the local issuer for the role, and refuses a customer without a customer', async () => {
    const signIn = (body: unknown) => harness.t.call('POST', '/_local/sign-in', { role: null, body });
    const customer = await signIn({ role: 'customer', customerId });
    expect(customer.status).toBe(200);
    const claims = await verifyDevToken(customer.json.token);
    expect(claims).toMatchObject({ 'cognito:groups': ['customer'], 'custom:customerId': customerId });
    expect(Date.parse(customer.json.expiresAt)).toBe((claims!.exp as number) * 1000);
    expect((await harness.t.call('GET', '/me', { headers: { authorization: `Bearer ${customer.json.token}` }, role: null })).json.id).toBe(customerId);
    const partner = await signIn({ role: 'partner', accountId: 'acc-1' });
    expect(await verifyDevToken(partner.json.token)).toMatchObject({ 'cognito:groups': ['partner'], 'custom:accountId': 'acc-1' });
    for (const bad of [{ role: 'customer' }, { role: 'root' }, { role: 'agent', extra: 1 }, { role: 'customer', customerId: '' }, 'agent']) {
      const refused = await signIn(bad);
      expect(refused.status, JSON.stringify(bad)).toBe(400);
      expect(refused.json.detail).toMatch(/a customer needs customerId/);
    }
  });
});
