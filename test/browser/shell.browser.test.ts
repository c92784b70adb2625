import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES } from '../../infra/topology.ts';
import { ROUTES } from '../../web/src/app/routes.tsx';
import { type ConsoleHarness, expectAccessible, screenshot, startConsole } from '../support/browser.ts';

// The console's frame in Chromium: sign-in with the local issuer, each role's navigation (exactly
// the ROUTES its role may open), the role guard, and axe on the sign-in and home screens.

let harness: ConsoleHarness;
beforeAll(async () => {
  harness = await startConsole();
});
afterAll(() => harness?.close());

const navTitles = (role: string) => ROUTES.filter((r) => r.nav && (r.roles as string[]).includes(role)).map((r) => r.title);

describe('the console shell', () => {
  it('signs in as each role on the local sign-in screen and shows that role its own navigation', async () => {
    const page = await harness.anonymous();
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Sign in to the eCRM console');
    expect(await page.title()).toBe('Sign in · eCRM console');
    await expectAccessible(page, 'sign-in screen');
    await screenshot(page, 'sign-in');
    for (const role of ROLES) {
      await page.getByRole('radio', { name: new RegExp(`^${{ admin: 'Administrator', manager: 'Manager', agent: 'Agent', marketer: 'Marketer', partner: 'Partner', customer: 'Customer' }[role]}$`) }).check();
      if (role === 'customer') await page.getByLabel('Customer id').fill('c-portal-1');
      await page.getByRole('button', { name: 'Sign in' }).click();
      const nav = page.getByRole('navigation', { name: 'Main' });
      await nav.waitFor();
      expect(await nav.getByRole('link').allInnerTexts(), role).toEqual(navTitles(role));
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Home');
      await expectAccessible(page, `home (${role})`);
      if (role === 'agent') await screenshot(page, 'home-agent');
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
    }
  });

  it('a customer token sees no staff route: not in the navigation, and refused at its address', async () => {
    const page = await harness.signedIn('customer', { customerId: 'c-portal-2' });
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

  it('a staff role opens its routes through the same guard', async () => {
    const page = await harness.signedIn('agent', { path: '/about' });
    await page.getByRole('heading', { level: 1, name: 'About the API' }).waitFor();
    await page.getByText('eCRM API').waitFor();
    await expectAccessible(page, 'about (agent)');
    await page.context().close();
  });
});
