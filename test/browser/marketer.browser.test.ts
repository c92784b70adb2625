import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../support/local-runtime.ts';
import { type ConsoleHarness, expectAccessible, type Page, screenshot, startConsole } from '../support/browser.ts';

// The marketer screens in Chromium against the real local runtime: the segment editor's live count
// (POST /segments/preview while the rule is written), a campaign created, scheduled and sent on the
// virtual clock with its report funnel, the one-to-one email refused by the consent gate, topics.

let harness: ConsoleHarness;
const ids: Record<string, string> = {};
const ADMIN = { role: 'admin' as const };
const MARKETER = { role: 'marketer' as const };

const cellsOf = (table: ReturnType<Page['getByRole']>) =>
  table.evaluate((el) => [...el.querySelectorAll('tr')].map((tr) => [...tr.querySelectorAll('th, td')].map((cell) => cell.textContent ?? '')));

/** A `datetime-local` value in this machine's time zone (the browser's too). */
const localInput = (date: Date) => {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}T${two(date.getHours())}:${two(date.getMinutes())}`;
};

beforeAll(async () => {
  harness = await startConsole();
  const { t } = harness;
  expect((await t.call('PUT', '/topics', { ...ADMIN, body: [{ id: 'news', name: 'News', purpose: 'marketing' }] })).status).toBe(200);
  const customer = async (key: string, body: Record<string, unknown>, consent: boolean) => {
    const created = await t.call('POST', '/customers', { body });
    expect(created.status, created.text).toBe(201);
    ids[key] = created.json.id;
    if (consent) {
      const granted = await t.call('POST', `/customers/${ids[key]}/consents`, { ...ADMIN, body: { topic: 'news', action: 'grant', legalBasis: 'consent', proof: 'signup-form' } });
      expect(granted.status, granted.text).toBe(200);
    }
  };
  await customer('ada', { email: 'ada.mkt@example.com', firstName: 'Ada', tags: ['vip'] }, true);
  await customer('bob', { email: 'bob.mkt@example.com', firstName: 'Bob', tags: ['vip'] }, true);
  await customer('cy', { email: 'cy.mkt@example.com', firstName: 'Cy', tags: ['vip'] }, false);
  await customer('dee', { email: 'dee.mkt@example.com', firstName: 'Dee' }, false);
  const segment = await t.call('POST', '/segments', { ...MARKETER, body: { name: 'All VIPs', rule: { field: 'tags', op: 'contains', value: 'vip' } } });
  expect(segment.status, segment.text).toBe(201);
});
afterAll(() => harness?.close());

describe('marketer screens', () => {
  it('a marketer writes a segment rule and sees the live count follow it, then creates the segment', async () => {
    const page = await harness.signedIn('marketer', { path: '/marketer/segments/new' });
    await page.getByLabel('Name').fill('VIP named Ada');
    await page.getByLabel('Value 1').fill('vip');
    await page.getByText('3 customers match now').waitFor();
    await page.getByRole('button', { name: 'Add condition' }).click();
    await page.getByLabel('Field 2').fill('firstName');
    await page.getByLabel('Operator 2').selectOption('eq');
    await page.getByLabel('Value 2').fill('Ada');
    await page.getByText('1 customer matches now').waitFor();
    await page.getByLabel('Customers who match').selectOption('any');
    await page.getByText('3 customers match now').waitFor();
    await page.getByLabel('Customers who match').selectOption('all');
    await page.getByText('1 customer matches now').waitFor();
    await expectAccessible(page, 'segment editor');
    await screenshot(page, 'segment-editor');
    await page.getByRole('button', { name: 'Create segment' }).click();
    await page.getByRole('heading', { level: 1, name: 'Edit segment' }).waitFor();
    const segments = (await harness.t.call('GET', '/segments', MARKETER)).json.items as { name: string; rule: unknown }[];
    expect(segments.find((s) => s.name === 'VIP named Ada')?.rule).toEqual({
      all: [
        { field: 'tags', op: 'contains', value: 'vip' },
        { field: 'firstName', op: 'eq', value: 'Ada' },
      ],
    });
    await page.goto('/#/marketer/segments');
    await page.getByRole('link', { name: 'VIP named Ada' }).waitFor();
    await expectAccessible(page, 'segments');
    await page.context().close();

    const phone = await harness.signedIn('marketer', { path: '/marketer/segments/new', width: 390 });
    await phone.getByLabel('Value 1').fill('vip');
    await phone.getByText('3 customers match now').waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await phone.context().close();
  });

  it('a marketer creates and schedules a campaign, and after it ran reads its report funnel', async () => {
    const page = await harness.signedIn('marketer', { path: '/marketer/campaigns/new' });
    await page.getByLabel('Name').fill('Winter news');
    await page.getByLabel('Topic').selectOption({ label: 'News' });
    await page.getByLabel('Audience (segment)').selectOption({ label: 'All VIPs' });
    await page.getByLabel('Subject').fill('Winter news for {{firstName|you}}');
    await page.getByLabel('Text').fill('Hello {{firstName|there}}, here is the news.');
    const at = new Date(harness.t.runtime.clock.now().getTime() + 3600_000);
    await page.getByLabel(/^Send at/).fill(localInput(at));
    await expectAccessible(page, 'new campaign');
    await page.getByRole('button', { name: 'Create campaign' }).click();
    await page.getByRole('heading', { level: 1, name: 'Campaign: Winter news' }).waitFor();
    await page.getByRole('button', { name: 'Schedule' }).click();
    await page.locator('.figures').getByText('scheduled').waitFor();

    await harness.t.call('POST', '/_local/clock/advance', { role: null, body: { seconds: 61 * 60 } });
    await harness.t.runtime.idle();
    const campaignId = decodeURIComponent(new URL(page.url()).hash.split('/').pop()!);
    await eventually(async () => {
      const report = (await harness.t.call('GET', `/campaigns/${campaignId}/report`, MARKETER)).json;
      return report.sent === 2 && report.delivered === 2 ? report : undefined;
    }, 30_000);

    await page.reload();
    await page.locator('.figures').getByText('completed').waitFor();
    const funnel = page.getByRole('table', { name: 'Funnel (table)' });
    await funnel.waitFor({ state: 'attached' });
    expect(await cellsOf(funnel)).toEqual([
      ['Step', 'Recipients'],
      ['Targeted', '3'],
      ['Sent', '2'],
      ['Delivered', '2'],
    ]);
    await page.getByRole('table', { name: 'Outside the funnel' }).getByText('Blocked: no consent').waitFor();
    await page.getByRole('list', { name: 'Recipients' }).getByText(ids.cy!).waitFor();
    await page.locator('canvas').waitFor();
    await expectAccessible(page, 'campaign report');
    await screenshot(page, 'campaign-report');

    await page.goto('/#/marketer/campaigns');
    await page.getByRole('link', { name: 'Winter news' }).waitFor();
    await expectAccessible(page, 'campaigns');
    await page.context().close();
  });

  it('the one-to-one email form shows the consent gate refusing a customer without consent', async () => {
    const page = await harness.signedIn('marketer', { path: '/marketer/email' });
    await page.getByLabel('Customer id').fill(ids.dee!);
    await page.getByLabel('Topic').selectOption('news');
    await page.getByLabel('Subject').fill('Just for you');
    await page.getByLabel('Text').fill('Hello {{firstName}}');
    await page.getByRole('button', { name: 'Send' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'Blocked by the consent gate' });
    await refusal.waitFor();
    expect(await refusal.innerText()).toContain('(no_consent)');
    await expectAccessible(page, 'email form');
    // The same form sends to a customer who consented.
    await page.getByLabel('Customer id').fill(ids.ada!);
    await page.getByRole('button', { name: 'Send' }).click();
    await page.getByRole('status').getByText(/^Sent \(message /).waitFor();
    await page.context().close();
  });

  it('a marketer reads the topics; an admin creates one', async () => {
    const page = await harness.signedIn('marketer', { path: '/marketer/topics' });
    await page.getByRole('cell', { name: 'News', exact: true }).waitFor();
    await page.getByText('Only administrators create topics.').waitFor();
    await expectAccessible(page, 'topics (marketer)');
    await page.context().close();

    const admin = await harness.signedIn('admin', { path: '/marketer/topics' });
    await admin.getByRole('cell', { name: 'News', exact: true }).waitFor();
    await admin.getByLabel('Id').fill('offers');
    await admin.getByLabel('Name').fill('Offers');
    await admin.getByRole('button', { name: 'Create topic' }).click();
    await admin.getByRole('cell', { name: 'Offers', exact: true }).waitFor();
    expect((await harness.t.call('GET', '/topics')).json.map((t: { id: string }) => t.id)).toEqual(['news', 'offers']);
    await expectAccessible(admin, 'topics (admin)');
    await admin.context().close();
  });
});
