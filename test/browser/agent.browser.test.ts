import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleHarness, expectAccessible, screenshot, startConsole } from '../support/browser.ts';

// The agent screens in Chromium against the real local runtime: data seeded through the API,
// the screens driven as a person would (roles and labels), the SLA breached on the virtual clock.

let h: ConsoleHarness;
const queue = `desk-${randomUUID().slice(0, 8)}`;

async function created<T>(answer: Promise<{ status: number; json: unknown }>, status = 201): Promise<T> {
  const res = await answer;
  expect(res.status).toBe(status);
  return res.json as T;
}

const newCustomer = (fields: Record<string, unknown>) => created<{ id: string; email: string }>(h.t.call('POST', '/customers', { body: fields }));
const openCase = (customerId: string, subject: string, priority: string) =>
  created<{ id: string; number: string }>(h.t.call('POST', '/cases', { body: { customerId, subject, priority, queue, channel: 'email', description: 'Seeded by the agent browser test.' } }));

beforeAll(async () => {
  h = await startConsole();
});

afterAll(async () => {
  await h?.close();
});

describe('the agent console', () => {
  let urgent: { id: string; number: string };
  let normal: { id: string; number: string };

  beforeAll(async () => {
    const customer = await newCustomer({ email: `grace-${randomUUID().slice(0, 8)}@example.com`, firstName: 'Grace', lastName: 'Hopper' });
    normal = await openCase(customer.id, 'Invoice shows the wrong address', 'normal');
    urgent = await openCase(customer.id, 'Checkout fails for every card', 'urgent');
  });

  it('lists a queue by SLA due time, opens a case, and shows a public reply and an internal note', async () => {
    const page = await h.signedIn('agent', { path: `/inbox/${queue}` });
    const rows = page.getByRole('list', { name: new RegExp(`Cases in ${queue}`) }).getByRole('listitem');
    await expect.poll(() => rows.count()).toBe(2);
    // The urgent case is due first (60 minutes, around the clock), so it leads; both say "On track".
    await expect.poll(() => rows.nth(0).textContent()).toContain(urgent.number);
    expect(await rows.nth(1).textContent()).toContain(normal.number);
    expect(await rows.nth(0).textContent()).toMatch(/On track · first response · (\d+m \d\ds|1h 00m 00s) left/);
    // The countdown ticks: a second later it reads less.
    const before = await rows.nth(0).locator('time').textContent();
    await expect.poll(() => rows.nth(0).locator('time').textContent(), { timeout: 5000 }).not.toBe(before);
    await expectAccessible(page, 'case inbox');

    await page.getByRole('link', { name: `${normal.number}: Invoice shows the wrong address` }).click();
    await page.getByRole('heading', { level: 1, name: `${normal.number}: Invoice shows the wrong address` }).waitFor();
    await page.getByLabel('Comment', { exact: true }).fill('Checked the ledger: the billing address is from 2024.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await page.getByText('Internal note added.').waitFor();
    await page.getByLabel('Comment', { exact: true }).fill('We have corrected your invoice address; a new invoice is on its way.');
    await page.getByLabel('Public reply (the customer sees it)').check();
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.getByText('Reply sent to the customer.').waitFor();

    const conversation = page.locator('.conversation > li');
    await expect.poll(() => conversation.count()).toBe(2);
    expect(await conversation.nth(0).textContent()).toMatch(/^Internal note by .*Checked the ledger/);
    expect(await conversation.nth(1).textContent()).toMatch(/^Public reply by .*corrected your invoice address/);
    // The public reply answered the customer: the first-response clock stopped, resolution runs.
    await expect.poll(() => page.locator('.case-summary .sla-badge').textContent()).toContain('resolution');
    // The API agrees on what is internal and what is public.
    const stored = await created<{ items: { visibility: string }[] }>(h.t.call('GET', `/cases/${normal.id}/comments`), 200);
    expect(stored.items.map((c) => c.visibility)).toEqual(['internal', 'public']);
    await expectAccessible(page, 'case page');
    await screenshot(page, 'case-page');
    await page.close();
  });

  it('flags a case whose SLA the sweep breached, in the inbox and on the case page, and a stale edit offers to reload', async () => {
    // 61 minutes on the virtual clock: the urgent case's first response (60 minutes) is overdue,
    // and the scheduled SLA sweep records the breach and escalates it.
    expect((await h.t.call('POST', '/_local/clock/advance', { role: null, body: { seconds: 61 * 60 } })).status).toBe(200);
    await h.t.runtime.idle();
    const clock = await created<{ now: string }>(h.t.call('GET', '/_local/clock', { role: null }), 200);

    const page = await h.signedIn('agent', { path: `/inbox/${queue}` });
    // The browser's clock is the desk's clock: set it to the runtime's virtual time.
    await page.clock.setSystemTime(new Date(clock.now));
    await page.reload();
    const row = page.getByRole('list', { name: new RegExp(`Cases in ${queue}`) }).getByRole('listitem').filter({ hasText: urgent.number });
    await expect.poll(() => row.textContent()).toMatch(/Breached · first response · \d+m \d\ds over/);
    await expectAccessible(page, 'case inbox with a breach');
    await screenshot(page, 'case-inbox');

    await row.getByRole('link').click();
    await page.getByRole('heading', { level: 1, name: `${urgent.number}: Checkout fails for every card` }).waitFor();
    await expect.poll(() => page.locator('.case-summary .sla-badge').textContent()).toContain('Breached');
    const breaches = page.getByRole('list', { name: 'SLA breaches' });
    expect(await breaches.textContent()).toMatch(/Breached: first response was due .* escalated/);

    // An edit made elsewhere after the page read the case: the save is refused (If-Match, 412) and
    // the page offers to reload; after the reload the same edit saves.
    expect((await h.t.call('PATCH', `/cases/${urgent.id}`, { body: { tags: ['payments'] } })).status).toBe(200);
    await page.getByLabel('Status', { exact: true }).selectOption('pending');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Changed meanwhile').waitFor();
    await page.getByRole('button', { name: 'Reload' }).click();
    await expect.poll(() => page.getByText('Changed meanwhile').count()).toBe(0);
    await page.getByLabel('Status', { exact: true }).selectOption('pending');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved.').waitFor();
    await expect.poll(() => page.locator('.case-summary .facts').textContent()).toContain('Pending');
    await page.close();
  });

  it('finds a customer by email and reads their timeline across channels, at 390 px too', async () => {
    const email = `ada-${randomUUID().slice(0, 8)}@example.com`;
    const customer = await newCustomer({ email, firstName: 'Ada', lastName: 'Lovelace', phone: '+442079460000', tags: ['vip'] });
    await created(h.t.call('POST', `/customers/${customer.id}/interactions`, { body: { channel: 'web', type: 'page_view', summary: 'Viewed the pricing page' } }));
    await created(h.t.call('POST', `/customers/${customer.id}/interactions`, { body: { channel: 'phone', type: 'call', direction: 'inbound', summary: 'Called about an invoice' } }));
    const kase = await openCase(customer.id, 'Where is my parcel?', 'low');
    expect((await h.t.call('PUT', '/topics', { role: 'admin', body: [{ id: 'newsletter', name: 'Newsletter', purpose: 'marketing' }] })).status).toBe(200);
    await created(h.t.call('POST', `/customers/${customer.id}/consents`, { body: { topic: 'newsletter', action: 'request', source: 'api' } }), 202);
    // A phone number is found through its linked identity, typed the way people write it.
    await created(h.t.call('POST', `/customers/${customer.id}/identities`, { body: { type: 'phone', value: '+442079460000' } }));
    // A B2B account she is a contact of (issue 12: a customer's profile shows its accounts).
    const account = await created<{ id: string }>(h.t.call('POST', '/accounts', { body: { name: 'Analytical Engines Ltd' } }));
    expect((await h.t.call('PUT', `/accounts/${account.id}/contacts/${customer.id}`, { body: { role: 'decision maker' } })).status).toBe(200);
    await h.t.runtime.idle();

    const page = await h.signedIn('agent', { path: '/customers' });
    await page.getByLabel('Search by').selectOption('phone');
    await page.getByLabel('Search for').fill('+44 20 7946 0000');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'Ada Lovelace' }).waitFor();
    await page.getByLabel('Search for').fill('+44 20 7946 0001');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByText('No customer found.').waitFor();

    await page.getByLabel('Search by').selectOption('email');
    await page.getByLabel('Search for').fill(email);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'Ada Lovelace' }).waitFor();
    await expectAccessible(page, 'customer search');
    await page.getByRole('link', { name: 'Ada Lovelace' }).click();

    await page.getByRole('heading', { level: 1, name: 'Ada Lovelace' }).waitFor();
    const entries = page.getByRole('list', { name: 'Timeline, newest first' }).getByRole('listitem');
    await entries.filter({ hasText: 'Viewed the pricing page' }).waitFor();
    expect(await entries.filter({ hasText: 'Called about an invoice' }).textContent()).toMatch(/^Interaction · phone · call · inbound/);
    expect(await entries.filter({ hasText: 'Viewed the pricing page' }).textContent()).toMatch(/^Interaction · web · page view/);
    // The channel filter asks the API for one channel: the phone call alone.
    await page.getByLabel('Channel').selectOption('phone');
    await expect.poll(() => entries.count()).toBe(1);
    expect(await entries.textContent()).toContain('Called about an invoice');
    await page.getByLabel('Channel').selectOption('');
    await entries.filter({ hasText: 'Viewed the pricing page' }).waitFor();
    // Stats, cases and consents come from their own routes.
    expect(await page.locator('.c360').textContent()).toContain('web 1, phone 1');
    expect(await page.getByRole('link', { name: `${kase.number}: Where is my parcel?` }).count()).toBe(1);
    expect(await page.getByRole('region', { name: 'Consents' }).textContent()).toMatch(/newsletter: pending/);
    await expect.poll(() => page.getByRole('region', { name: 'Accounts' }).textContent()).toContain('Analytical Engines Ltd · decision maker');
    await expectAccessible(page, 'customer 360');

    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await expectAccessible(page, 'customer 360 at 390 px');
    await screenshot(page, 'customer-360');
    await page.close();
  });
});
