import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleHarness, expectAccessible, type Page, screenshot, startConsole } from '../support/browser.ts';
import { eventually } from '../support/local-runtime.ts';
import { ROUTES } from '../../web/src/app/routes.tsx';

// The customer portal in Chromium against the real local runtime: a customer signed in sees and
// edits their own profile, opens a case and talks on it, runs the preference centre's double
// opt-in, takes their data and asks for (and cancels) erasure; and never reaches a staff screen or
// another customer's case. Everything the screens claim is read back through the API as staff.

let h: ConsoleHarness;
let ada: string;
let bob: string;

const TOPICS = [
  { id: 'newsletter', name: 'Monthly newsletter', description: 'News and offers, once a month', purpose: 'marketing' },
  { id: 'account', name: 'Account notices', description: 'Changes to your account and our terms', purpose: 'service' },
];

async function customer(email: string, firstName: string) {
  const res = await h.t.call('POST', '/customers', { body: { email, firstName } });
  expect(res.status, res.text).toBe(201);
  return (res.json as { id: string }).id;
}

/** Calls the API as the customer `id` (what the portal's token does). */
async function asCustomer(id: string, method: string, path: string, body?: unknown) {
  return h.t.call(method, path, { role: null, headers: { authorization: `Bearer ${await h.t.token('customer', id)}` }, ...(body !== undefined ? { body } : {}) });
}

const staffConsentState = async (id: string, topic: string) =>
  ((await h.t.call('GET', `/customers/${id}/consents`)).json.topics as { topic: string; state: string }[]).find((s) => s.topic === topic)?.state;

interface StoredEmail {
  destination: { to: string[] };
  body: { text?: string };
}
/** The double opt-in link the API mailed to `address` (the local SES keeps every mail). */
async function optInLink(address: string): Promise<URL> {
  const mail = await eventually(async () => {
    const { emails } = (await (await fetch(`${h.t.runtime.sesUrl}/store`)).json()) as { emails: StoredEmail[] };
    return emails.find((e) => e.destination.to.includes(address) && /\/optin\/confirm\?token=/.test(e.body.text ?? ''));
  });
  return new URL(/https?:\/\/\S+\/optin\/confirm\?token=[^\s"<>]+/.exec(mail.body.text ?? '')![0]);
}

beforeAll(async () => {
  h = await startConsole();
  expect((await h.t.call('PUT', '/topics', { role: 'admin', body: TOPICS })).status).toBe(200);
  [ada, bob] = await Promise.all([customer('ada.portal@example.com', 'Ada'), customer('bob.portal@example.com', 'Bob')]);
});
afterAll(async () => {
  await h?.close();
});

describe('the customer portal', () => {
  it('shows the profile, saves an edit with If-Match, shows the API field error, and offers a reload on a stale edit', async () => {
    const page = await h.signedIn('customer', { customerId: ada, path: '/me/profile' });
    await expect.poll(() => page.getByLabel('First name').inputValue()).toBe('Ada');
    await expect.poll(() => page.getByText('ada.portal@example.com').count()).toBe(1);

    await page.getByLabel('Last name').fill('Lovelace');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByRole('status').getByText('Your profile is saved.').waitFor();
    expect((await h.t.call('GET', `/customers/${ada}`)).json).toMatchObject({ firstName: 'Ada', lastName: 'Lovelace', version: 2 });

    // The schema cannot say which time zones exist; the API can, and its field error shows by the field.
    await page.getByLabel('Time zone').fill('Mars/Olympus_Mons');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('must be an IANA time zone such as Europe/Berlin').first().waitFor();
    expect((await h.t.call('GET', `/customers/${ada}`)).json.timezone).toBeNull();

    // Support changes the profile meanwhile: the portal's edit is refused (412) and offers a reload.
    expect((await h.t.call('PATCH', `/customers/${ada}`, { body: { phone: '+4915112345678' } })).status).toBe(200);
    await page.getByLabel('Time zone').fill('Europe/London');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByText('Changed meanwhile').waitFor();
    await page.getByRole('button', { name: 'Reload' }).click();
    await expect.poll(() => page.getByLabel('Phone').inputValue()).toBe('+4915112345678');
    expect((await h.t.call('GET', `/customers/${ada}`)).json.timezone).toBeNull();

    await expectAccessible(page, 'portal profile');
    await screenshot(page, 'portal-profile');
    await page.context().close();
  });

  it('opens a case, replies on it, and shows support public answers but never internal notes', async () => {
    const page = await h.signedIn('customer', { customerId: ada, path: '/me/cases' });
    await page.getByRole('link', { name: 'Open a case' }).click();
    await page.getByRole('button', { name: 'Open case' }).click();
    await page.getByText('Required.').waitFor(); // checked against the API's schema before sending
    await expectAccessible(page, 'portal open a case (with a field error)');
    await page.getByLabel('Subject').fill('My parcel never arrived');
    await page.getByLabel('What happened?').fill('Order 1234 was due on Monday.');
    await page.getByRole('button', { name: 'Open case' }).click();
    await page.getByRole('heading', { name: 'My parcel never arrived' }).waitFor();

    const mine = (await asCustomer(ada, 'GET', '/me/cases')).json.items as { id: string; number: string; subject: string }[];
    expect(mine.map((c) => c.subject)).toEqual(['My parcel never arrived']);
    const caseId = mine[0]!.id;
    expect((await h.t.call('GET', `/cases/${caseId}`)).json).toMatchObject({ customerId: ada, channel: 'web', description: 'Order 1234 was due on Monday.' });

    await page.getByLabel('Your reply').fill('It is a blue box.');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await page.getByRole('list', { name: 'Conversation' }).getByText('It is a blue box.').waitFor();

    expect((await h.t.call('POST', `/cases/${caseId}/comments`, { body: { body: 'We are on it: the courier is looking.', visibility: 'public' } })).status).toBe(201);
    expect((await h.t.call('POST', `/cases/${caseId}/comments`, { body: { body: 'Internal: courier claims delivered.', visibility: 'internal' } })).status).toBe(201);
    await page.reload();
    const conversation = page.getByRole('list', { name: 'Conversation' });
    await conversation.getByText('We are on it: the courier is looking.').waitFor();
    expect(await conversation.getByRole('listitem').allInnerTexts()).toEqual([
      expect.stringMatching(/^You ·[\s\S]*It is a blue box\.$/),
      expect.stringMatching(/^Support ·[\s\S]*We are on it: the courier is looking\.$/),
    ]);
    expect(await page.getByText('courier claims delivered').count()).toBe(0);
    await expectAccessible(page, 'portal case');

    // Support solves it: the page says a reply would reopen it, and offers to close it.
    expect((await h.t.call('PATCH', `/cases/${caseId}`, { body: { status: 'solved' } })).status).toBe(200);
    await page.reload();
    await page.getByText('Replying reopens this case.').waitFor();
    await page.getByRole('button', { name: 'Close this case' }).click();
    await page.getByText('This case is closed. To follow up, open a new case.').waitFor();
    expect(await page.getByLabel('Your reply').count()).toBe(0);
    expect((await h.t.call('GET', `/cases/${caseId}`)).json.status).toBe('closed');

    await page.getByRole('link', { name: 'All my cases' }).click();
    const cases = page.getByRole('list', { name: 'Cases' });
    await cases.getByRole('link', { name: 'My parcel never arrived' }).waitFor();
    await page.getByLabel('Show').selectOption('open'); // the API's ?status= filter
    await page.getByText('Nothing here yet.').waitFor();
    expect(await cases.getByRole('listitem').count()).toBe(0);
    await page.getByLabel('Show').selectOption('');
    await cases.getByRole('link', { name: 'My parcel never arrived' }).waitFor();
    await expectAccessible(page, 'portal cases');
    await screenshot(page, 'portal-cases');
    await page.context().close();
  });

  it('runs the double opt-in from the preference centre at 390 px, and the API holds each state', async () => {
    const page = await h.signedIn('customer', { customerId: ada, path: '/me/preferences', width: 390 });
    const newsletter = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Monthly newsletter' }) });
    await newsletter.getByText('Not subscribed').waitFor();

    await page.getByRole('button', { name: 'Subscribe to Monthly newsletter' }).click();
    await newsletter.getByText('Awaiting your confirmation').waitFor();
    expect(await staffConsentState(ada, 'newsletter')).toBe('pending');

    // The person confirms through the link mailed to them (the page's button posts the token).
    const link = await optInLink('ada.portal@example.com');
    const confirmed = await fetch(new URL('/optin/confirm', link), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: link.searchParams.get('token')! }),
    });
    expect(confirmed.status).toBe(200);
    await page.reload();
    await newsletter.getByText('Subscribed', { exact: true }).waitFor();
    expect(await staffConsentState(ada, 'newsletter')).toBe('subscribed');
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await expectAccessible(page, 'portal preferences at 390 px');
    await screenshot(page, 'portal-preferences');

    // By keyboard: Enter on the focused button, and the focus stays on it as its label changes.
    await page.getByRole('button', { name: 'Unsubscribe from Monthly newsletter' }).focus();
    await page.keyboard.press('Enter');
    await newsletter.getByText('Unsubscribed').waitFor();
    await expect.poll(() => page.evaluate<string | undefined>('document.activeElement?.textContent')).toBe('Subscribe to Monthly newsletter');
    expect(await staffConsentState(ada, 'newsletter')).toBe('unsubscribed');
    await page.context().close();
  });

  it('downloads the data export, and asks to confirm an erasure that can then be cancelled', async () => {
    const cleo = await customer('cleo.portal@example.com', 'Cleo');
    const page = await h.signedIn('customer', { customerId: cleo, path: '/me/data' });
    await page.getByRole('button', { name: 'Prepare my data' }).click();
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: /^Download my-data-\d{4}-\d{2}-\d{2}\.json$/ }).click();
    const file = JSON.parse(await readFile((await (await download).path())!, 'utf8'));
    expect(file.customer).toMatchObject({ id: cleo, email: 'cleo.portal@example.com', firstName: 'Cleo' });
    await expectAccessible(page, 'portal data');

    await page.getByRole('button', { name: 'Erase my account…' }).click();
    const request = page.getByRole('button', { name: 'Request erasure' });
    expect(await request.isDisabled()).toBe(true);
    await expectAccessible(page, 'portal erasure confirmation');
    await page.getByLabel('I understand: erase my account').check();
    await request.click();
    await page.getByText(/^Your account will be erased on \d{1,2} \w+ \d{4}, \d{2}:\d{2} UTC/).waitFor();
    expect((await asCustomer(cleo, 'GET', '/me/erasure')).json).toMatchObject({ status: 'pending' });

    await page.getByRole('button', { name: 'Cancel the erasure' }).click();
    await page.getByRole('button', { name: 'Erase my account…' }).waitFor();
    expect((await asCustomer(cleo, 'GET', '/me/erasure')).status).toBe(404);
    await page.context().close();
  });

  it("never shows a staff screen or another customer's case", async () => {
    const theirs = await asCustomer(bob, 'POST', '/me/cases', { subject: 'Bob private matter' });
    expect(theirs.status).toBe(201);
    const page = await h.signedIn('customer', { customerId: ada });
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link').allInnerTexts()).toEqual(['Home', 'My profile', 'My cases', 'Email preferences', 'My data']);

    // Every staff screen, opened by its address, is refused by the role guard, never shown.
    const staffOnly = ROUTES.filter((r) => !(r.roles as string[]).includes('customer'));
    expect(staffOnly.length).toBeGreaterThan(0);
    for (const route of staffOnly) {
      await page.goto(`/#${route.path.replace(/:(\w+)/g, 'x-$1')}`);
      await page.getByRole('heading', { level: 1, name: 'Not available' }).waitFor();
    }
    await expectAccessible(page, 'staff screen refused (customer)');

    await page.goto(`/#/me/cases/${encodeURIComponent(theirs.json.id)}`);
    const alert = page.getByRole('alert');
    await alert.getByText('Not found').waitFor();
    expect(await alert.innerText()).toContain((await asCustomer(ada, 'GET', `/me/cases/${theirs.json.id}`)).json.detail);
    expect(await page.getByText('Bob private matter').count()).toBe(0);
    await page.context().close();
  });
});
