// Email subscriptions in a real browser (issue 18): a reader subscribes from a region tab of the
// status page, reads the confirmation from a real SMTP server (smtp-server on loopback), opens
// its link and confirms, changes what the address receives from the manage link, and
// unsubscribes from a news mail's link. axe checks every new page; the subscribe form also in
// light and dark at 360 and 1440 px.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { findSubscriberByEmail } from '../../src/storage/subscribers.js';
import { seriousViolations } from '../helpers/axe.js';
import { BROWSER_TIMEOUT_MS, launchBrowser } from '../helpers/browser.js';
import { describeEachDatabase } from '../helpers/database.js';
import { createComponents } from '../helpers/factories.js';
import { logInOperator } from '../helpers/operator.js';
import { startSmtpServer, type ReceivedMail } from '../helpers/smtp.js';
import { buildSubscriptionApp, mailNotifier } from '../helpers/subscriptions.js';

const READER = 'reader@example.org';

/** A browser of its own (cookies apart); axe is injected script, which the pages' policy forbids. */
async function readerIn(browser: Browser, problems: string[], options: Parameters<Browser['newContext']>[0] = {}): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-GB', timezoneId: 'Europe/Berlin', bypassCSP: true, ...options });
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  return page;
}

/** A link of a mail, as the reader's mail program shows it in the text part. */
function linkOf(mail: ReceivedMail | undefined, url: string, purpose: string): string {
  const found = new RegExp(`${url.replace(/[.]/g, '\\.')}/subscriptions/${purpose}/[A-Za-z0-9._-]+`).exec(mail?.text ?? '')?.[0];
  if (!found) throw new Error(`no ${purpose} link in: ${mail?.text ?? '(no mail)'}`);
  return found;
}

describeEachDatabase('email subscriptions in Chromium', { timeout: BROWSER_TIMEOUT_MS }, () => {
  it('subscribes from a region tab, confirms from the mail, changes the scope and unsubscribes; the pages pass axe', async (t) => {
    const browser = await launchBrowser(t);
    const api = await buildSubscriptionApp(t);
    await createComponents(api.store, [
      ['Elastic Cloud Server', { region: 'EU-DE', category: 'Compute', type: 'ecs' }],
      ['Object Storage Service', { region: 'EU-DE', category: 'Storage', type: 'obs' }],
      ['Elastic Cloud Server', { region: 'EU-NL', category: 'Compute', type: 'ecs' }],
    ]);
    const operator = await logInOperator(api, 'bob', 'operator');
    await api.app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
    const smtp = await startSmtpServer(t);
    // The mails link to this server, as SD_PUBLIC_URL would make them.
    const notifier = mailNotifier(t, api, smtp.url, { publicUrl: url });
    const problems: string[] = [];

    // The subscribe form, in light and dark, on a phone and a desktop.
    for (const [width, colorScheme] of [
      [360, 'light'],
      [360, 'dark'],
      [1440, 'light'],
      [1440, 'dark'],
    ] as const) {
      const page = await readerIn(browser, problems, { viewport: { width, height: 800 }, colorScheme });
      await page.goto(`${url}/subscribe?region=EU-NL`);
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(scrollWidth <= width, `${width} px, ${colorScheme}: the page is ${scrollWidth} px wide`);
      await page.getByText('Services in EU-DE').click();
      assert.deepEqual(await seriousViolations(page), [], `the subscribe form at ${width} px, ${colorScheme}`);
      await page.context().close();
    }

    // From the front page's EU-DE tab: the form comes preset to EU-DE.
    const reader = await readerIn(browser, problems);
    await reader.goto(`${url}/?region=EU-NL`);
    await reader.getByRole('link', { name: 'EU-DE' }).click();
    await reader.getByRole('link', { name: 'Subscribe to news of EU-DE by email' }).click();
    await reader.waitForURL(`${url}/subscribe?region=EU-DE`);
    assert.equal(await reader.getByLabel('One region').isChecked(), true);
    assert.equal(await reader.getByLabel('Region', { exact: true }).inputValue(), 'EU-DE');
    await reader.getByLabel('Email address').fill(READER);
    await reader.getByLabel('Incidents').selectOption({ label: 'Major incidents and outages' });
    await reader.getByRole('button', { name: 'Subscribe' }).click();
    await reader.waitForURL(`${url}/subscribe`);
    assert.equal(await reader.locator('h1').textContent(), 'Check your mail');
    assert.deepEqual(await seriousViolations(reader), [], 'the answer');

    // The confirmation mail: its link opens a page with a button, which confirms.
    await notifier.runOnce();
    assert.equal(smtp.mailsTo(READER).length, 1);
    const confirmation = smtp.mailsTo(READER)[0];
    assert.equal(confirmation?.subject, 'Confirm your subscription to Test Status');
    await reader.goto(linkOf(confirmation, url, 'confirm'));
    assert.match((await reader.locator('main').textContent()) ?? '', /reader@example\.org will receive: Major incidents and outages, maintenances and notices in EU-DE\./);
    assert.deepEqual(await seriousViolations(reader), [], 'the confirm page');
    assert.equal((await findSubscriberByEmail(api.store, READER))?.confirmedAt, null, 'opening the link confirms nothing');
    await reader.getByRole('button', { name: 'Confirm the subscription' }).click();
    await reader.waitForLoadState();
    assert.equal(await reader.locator('h1').textContent(), 'Subscription confirmed');
    assert.deepEqual(await seriousViolations(reader), [], 'the confirmed page');
    assert.notEqual((await findSubscriberByEmail(api.store, READER))?.confirmedAt, null);

    // The manage link: Compute, in every region.
    await reader.getByRole('link', { name: 'Change what you receive or unsubscribe' }).click();
    await reader.waitForURL(/\/subscriptions\/manage\//);
    assert.deepEqual(await seriousViolations(reader), [], 'the manage page');
    await reader.getByLabel('One category of services').check();
    await reader.getByLabel('Category', { exact: true }).selectOption('Compute');
    await reader.getByLabel('In', { exact: true }).selectOption({ label: 'every region' });
    await reader.getByRole('button', { name: 'Save' }).click();
    await reader.waitForLoadState();
    assert.match((await reader.getByRole('status').first().textContent()) ?? '', /Saved\. reader@example\.org now receives: Major incidents and outages, maintenances and notices of Compute in every region\./);

    // News of Compute in EU-NL arrives; its unsubscribe link ends the subscription.
    await api.postStatus({ name: 'Elastic Cloud Server', impact: 2, attributes: [{ name: 'region', value: 'EU-NL' }] });
    await notifier.runOnce();
    const news = smtp.mailsTo(READER).at(-1);
    assert.match(news?.text ?? '', /EU-NL/);
    await reader.goto(linkOf(news, url, 'unsubscribe'));
    assert.deepEqual(await seriousViolations(reader), [], 'the unsubscribe page');
    await reader.getByRole('button', { name: 'Unsubscribe' }).click();
    await reader.waitForLoadState();
    assert.equal(await reader.locator('h1').textContent(), 'Unsubscribed');
    assert.deepEqual(await seriousViolations(reader), [], 'the unsubscribed page');
    assert.equal(await findSubscriberByEmail(api.store, READER), undefined);

    // The operators' page, with an address on it.
    await api.postStatus({ name: 'Elastic Cloud Server', impact: 1, attributes: [{ name: 'region', value: 'EU-DE' }] });
    const other = await readerIn(browser, problems);
    await other.goto(`${url}/subscribe`);
    await other.getByLabel('Email address').fill('other@example.org');
    await other.getByRole('button', { name: 'Subscribe' }).click();
    await other.waitForURL(`${url}/subscribe`);
    const [name = '', value = ''] = operator.cookie.split(/=(.*)/s);
    const operatorPage = await readerIn(browser, problems);
    await operatorPage.context().addCookies([{ name, value, url }]);
    await operatorPage.goto(`${url}/`);
    await operatorPage.getByRole('link', { name: 'Subscribers' }).click();
    await operatorPage.waitForURL(`${url}/subscribers`);
    assert.match((await operatorPage.locator('main').textContent()) ?? '', /other@example\.org/);
    assert.deepEqual(await seriousViolations(operatorPage), [], 'the operators\' subscribers page');
    assert.deepEqual(problems, []);
  });
});
