import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleHarness, expectAccessible, type Page, screenshot, startConsole } from '../support/browser.ts';

// The manager screens in Chromium against the real local runtime: the SLA report of cases seeded
// through the API (one breached by the virtual clock), the SLA policy editor (saved with If-Match;
// a save over a version another admin replaced offers to reload), and the queue members.

let harness: ConsoleHarness;
const ADMIN = { role: 'admin' as const };

async function advanceMinutes(minutes: number) {
  const res = await harness.t.call('POST', '/_local/clock/advance', { role: null, body: { seconds: minutes * 60 } });
  expect(res.status).toBe(200);
  await harness.t.runtime.idle();
}

/** A table's rows as cell texts (headers included). */
const cellsOf = (table: ReturnType<Page['getByRole']>) =>
  table.evaluate((el) => [...el.querySelectorAll('tr')].map((tr) => [...tr.querySelectorAll('th, td')].map((cell) => cell.textContent ?? '')));

/** No horizontal scrolling at the page's width (390 px: a phone). */
async function expectNoSideways(page: Page) {
  const wider = await page.evaluate(() =>
    [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5 && !el.closest('.visually-hidden'))
      .map((el) => `${el.tagName.toLowerCase()}.${el.className} (${Math.round(el.getBoundingClientRect().right)} px)`),
  );
  expect(wider).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
}

beforeAll(async () => {
  harness = await startConsole();
  const { t } = harness;
  const customer = await t.call('POST', '/customers', { body: { email: 'ada.sla@example.com', firstName: 'Ada' } });
  expect(customer.status, customer.text).toBe(201);
  const open = async (priority: string) => {
    const res = await t.call('POST', '/cases', { body: { customerId: customer.json.id, subject: `Parcel (${priority})`, channel: 'email', queue: 'support', priority } });
    expect(res.status, res.text).toBe(201);
    return res.json.id as string;
  };
  const answered = await open('urgent');
  await open('urgent'); // never answered: breaches its 60-minute first response (24x7)
  await open('normal');
  expect((await t.call('POST', `/cases/${answered}/comments`, { body: { body: 'On it', visibility: 'public' } })).status).toBe(201);
  expect((await t.call('PATCH', `/cases/${answered}`, { body: { status: 'solved' } })).status).toBe(200);
  await advanceMinutes(61);
});
afterAll(() => harness?.close());

describe('manager screens', () => {
  it('a manager sees the SLA report of the seeded cases: figures, charts and their tables', async () => {
    const page = await harness.signedIn('manager', { path: '/manager/sla' });
    await page.getByRole('heading', { level: 1, name: 'SLA report' }).waitFor();
    const figure = (name: string) => page.locator('.figures > div', { hasText: name }).locator('dd');
    await figure('Opened').getByText('3').waitFor();
    expect(await figure('Solved').innerText()).toBe('1');
    expect(await figure('First response met').innerText()).toBe('100%');
    expect(await figure('Breaches in range').innerText()).toBe('1');
    expect(await figure('Breached and still open').innerText()).toBe('1');
    // Each chart draws on a canvas and carries a table with the same numbers for screen readers.
    await page.locator('canvas').first().waitFor();
    expect(await page.locator('canvas').count()).toBe(4);
    const met = page.getByRole('table', { name: 'Targets met (table)' });
    expect(await cellsOf(met)).toEqual([
      ['Milestone', 'Met (%)'],
      ['First response', '100%'],
      ['Resolution', '100%'],
    ]);
    // Per day (the days with something counted): one breach, three opened, whatever day they fell on.
    const [head, ...days] = await cellsOf(page.getByRole('table', { name: 'Breaches and opened cases per day (table)' }));
    expect(head).toEqual(['Day', 'Breaches', 'Opened']);
    const total = (column: number) => days.reduce((sum, row) => sum + Number(row[column]), 0);
    expect([total(1), total(2)]).toEqual([1, 3]);
    await expectAccessible(page, 'SLA report');
    await screenshot(page, 'sla-report');
    await page.context().close();

    const phone = await harness.signedIn('manager', { path: '/manager/sla', width: 390 });
    await phone.locator('canvas').first().waitFor();
    await expectNoSideways(phone);
    await phone.context().close();
  });

  it('an admin saves the SLA policy over the version read; a save over a newer version offers to reload', async () => {
    const page = await harness.signedIn('admin', { path: '/manager/sla-policy' });
    const monday = page.getByLabel('Monday');
    await monday.waitFor();
    await monday.fill('08:00-12:00, 13:00-17:00');
    await page.getByLabel('First response (high)').fill('120');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByRole('status').getByText(/Saved as version \d+/).waitFor();
    const saved = (await harness.t.call('GET', '/sla-policy')).json;
    expect(saved.businessHours.mon).toEqual([['08:00', '12:00'], ['13:00', '17:00']]);
    expect(saved.targets.high.firstResponseMinutes).toBe(120);

    // The form checks what it sends: a shift it cannot read is named at its day, nothing is sent.
    await page.getByLabel('Tuesday').fill('9 to 5');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByText('"9 to 5" is not a shift').waitFor();
    expect((await harness.t.call('GET', '/sla-policy')).json.version).toBe(saved.version);

    // Another admin saves between this editor's load and its save: 412, and the offer to reload.
    await page.reload();
    await page.getByLabel('Monday').waitFor();
    await page.getByText(`Version ${saved.version}`).waitFor();
    const { version: _v, createdAt: _c, ...body } = saved;
    const other = await harness.t.call('PUT', '/sla-policy', { ...ADMIN, body: { ...body, warnAtPercent: 80 }, headers: { 'if-match': `"${saved.version}"` } });
    expect(other.status, other.text).toBe(200);
    await page.getByLabel('Friday').fill('09:00-15:00');
    await page.getByRole('button', { name: 'Save policy' }).click();
    const notice = page.getByRole('alert').filter({ hasText: 'Changed meanwhile' });
    await notice.waitFor();
    await expectAccessible(page, 'SLA policy (stale edit)');
    expect((await harness.t.call('GET', '/sla-policy')).json).toMatchObject({ version: saved.version + 1, warnAtPercent: 80 });
    await notice.getByRole('button', { name: 'Reload' }).click();
    await page.getByText(`Version ${saved.version + 1}`).waitFor();
    await expect.poll(() => page.getByLabel('Warn at (% of the time used)').inputValue()).toBe('80');
    await expect.poll(() => page.getByLabel('Friday').inputValue()).toBe('09:00-17:00');
    await screenshot(page, 'sla-policy');
    await page.context().close();

    // A manager reads the policy; only admins save it (the API's rule).
    const manager = await harness.signedIn('manager', { path: '/manager/sla-policy' });
    await manager.getByText('Only administrators change the policy').waitFor();
    expect(await manager.getByRole('button', { name: 'Save policy' }).count()).toBe(0);
    expect(await manager.getByLabel('Monday').isDisabled()).toBe(true);
    await expectAccessible(manager, 'SLA policy (manager)');
    await manager.context().close();
  });

  it('an admin adds and removes queue members; a manager reads them', async () => {
    const page = await harness.signedIn('admin', { path: '/manager/queues' });
    await page.getByLabel('Queue name').fill('support');
    await page.getByRole('button', { name: 'Open' }).click();
    await page.getByText('The queue support has no configuration yet').waitFor();
    for (const agent of ['ann@agents.test', 'bob@agents.test']) {
      await page.getByLabel('Agent id or email').fill(agent);
      await page.getByRole('button', { name: 'Add member' }).click();
      await page.getByRole('list', { name: 'Members of support' }).getByText(agent).waitFor();
    }
    await page.getByRole('button', { name: 'Remove ann@agents.test' }).click();
    await page.getByRole('button', { name: 'Remove ann@agents.test' }).waitFor({ state: 'detached' });
    expect((await harness.t.call('GET', '/queues/support')).json.members).toEqual(['bob@agents.test']);
    await expectAccessible(page, 'queue members');
    await page.context().close();

    const manager = await harness.signedIn('manager', { path: '/manager/queues' });
    await manager.getByLabel('Queue name').fill('support');
    await manager.getByRole('button', { name: 'Open' }).click();
    await manager.getByRole('list', { name: 'Members of support' }).getByText('bob@agents.test').waitFor();
    await manager.getByText("Only administrators change a queue's members.").waitFor();
    await manager.context().close();
  });
});
