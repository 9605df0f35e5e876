// An operator runs an incident in a real browser (Debian's Chromium), and readers see each step
// on the public pages and in the feed (issue 5's "Done when").
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { it } from 'node:test';
import type { Page } from 'playwright-core';
import { hashPassword } from '../../src/auth/passwords.js';
import { addOperator } from '../../src/storage/operators.js';
import { seriousViolations } from '../helpers/axe.js';
import { buildTestApp } from '../helpers/app.js';
import { BROWSER_TIMEOUT_MS, launchBrowser } from '../helpers/browser.js';
import { MINUTE } from '../helpers/clock.js';
import { describeEachDatabase } from '../helpers/database.js';
import { createComponents } from '../helpers/factories.js';

const PASSWORD = 'correct horse battery staple';

describeEachDatabase('an operator in Chromium', { timeout: BROWSER_TIMEOUT_MS }, () => {
  it('logs in, opens an incident on two services, posts an update, resolves it; the public page and feed follow', async (t) => {
    const browser = await launchBrowser(t);
    const api = await buildTestApp(t);
    await createComponents(api.store, [
      ['Elastic Cloud Server', { region: 'EU-DE', category: 'Compute', type: 'ecs' }],
      ['Object Storage Service', { region: 'EU-DE', category: 'Storage', type: 'obs' }],
      ['Elastic Cloud Server', { region: 'EU-NL', category: 'Compute', type: 'ecs' }],
    ]);
    await addOperator(api.store, 'alice', await hashPassword(PASSWORD, { N: 1024, r: 8, p: 1 }), api.clock.read(), 'cli:test');
    await api.app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;

    const operatorContext = await browser.newContext({ locale: 'en-GB', timezoneId: 'Europe/Berlin', bypassCSP: true });
    const page = await operatorContext.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    const reader = await (await browser.newContext({ locale: 'en-GB', timezoneId: 'America/New_York' })).newPage();
    const readerSees = async (path: string) => {
      await reader.goto(`${url}${path}`);
      return (await reader.locator('main').textContent()) ?? '';
    };
    const feed = async () => (await (await fetch(`${url}/feeds/feed.json`)).json()) as { items: { title: string; content_html: string }[] };

    // Log in with the form.
    await page.goto(url);
    await page.getByRole('link', { name: 'Log in' }).click();
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${url}/`);
    assert.match((await page.locator('.session').textContent()) ?? '', /Logged in as alice/);

    // Open an incident on two services; the start is filled in, in the browser's zone.
    await page.getByRole('link', { name: 'Open an event' }).click();
    await page.waitForURL(`${url}/incidents`);
    assert.equal(await page.getByLabel('Time zone of the dates').inputValue(), 'Europe/Berlin');
    // The test clock's 12:00 UTC on 10 March, shown as 13:00 in Berlin.
    assert.match(await page.getByLabel('Start', { exact: true }).inputValue(), /^2026-03-10T13:00(:00)?$/);
    assert.deepEqual(await seriousViolations(page), []);
    await page.getByLabel('Incident', { exact: true }).check();
    await page.getByLabel('Title').fill('Servers and buckets unreachable');
    await page.getByLabel('Impact (incidents only)').selectOption('major');
    const eude = page.getByRole('group', { name: 'EU-DE', exact: true });
    await eude.getByLabel('Elastic Cloud Server').check();
    await eude.getByLabel('Object Storage Service').check();
    await page.getByRole('button', { name: 'Open the event' }).click();
    await page.waitForURL(/\/incidents\/\d+$/);
    const eventPath = new URL(page.url()).pathname;

    let seen = await readerSees('/');
    assert.match(seen, /Servers and buckets unreachable/);
    assert.match(seen, /Major incident in EU-DE|EU-DE/);
    assert.ok((await feed()).items.some((item) => item.title === 'Servers and buckets unreachable'));

    // A minute later: an update, dated when the page was loaded.
    api.clock.advance(MINUTE);
    await page.reload();
    assert.deepEqual(await seriousViolations(page), []);
    await page.getByLabel('Status').selectOption('fixing');
    await page.getByLabel('Message').fill('A faulty switch is being replaced.');
    await page.getByRole('button', { name: 'Post the update' }).click();
    await page.waitForURL(`${url}${eventPath}`);
    assert.match((await page.locator('.timeline li').first().textContent()) ?? '', /fixing.*by alice.*A faulty switch is being replaced\./s);
    seen = await readerSees(eventPath);
    assert.match(seen, /A faulty switch is being replaced\./);
    assert.doesNotMatch(seen, /by alice/, 'readers are not shown who wrote it');
    assert.ok((await feed()).items.some((item) => item.content_html.includes('A faulty switch is being replaced.')));

    // Resolve it.
    api.clock.advance(MINUTE);
    await page.reload();
    await page.getByLabel('Status').selectOption('resolved');
    await page.getByLabel('Message').fill('The switch is replaced; all services work.');
    await page.getByLabel('Date', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Post the update' }).click();
    await page.waitForURL(`${url}${eventPath}`);
    assert.match((await page.locator('.event-state').textContent()) ?? '', /Incident resolved/);
    seen = await readerSees('/');
    assert.doesNotMatch(seen, /Servers and buckets unreachable/);
    seen = await readerSees(eventPath);
    assert.match(seen, /This incident has been resolved\./);
    assert.ok((await feed()).items.some((item) => item.content_html.includes('The switch is replaced; all services work.') && item.content_html.includes('Incident end date')));

    // A refused update says why, next to the field, and keeps what was typed.
    await page.getByLabel('Status').selectOption('changed');
    await page.getByLabel('Message').fill('The end date was wrong.');
    await page.getByLabel('Date', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Post the update' }).click();
    assert.match((await page.getByRole('alert').textContent()) ?? '', /New end date field cannot be empty/);
    assert.equal(await page.getByLabel('Message').inputValue(), 'The end date was wrong.');
    assert.deepEqual(await seriousViolations(page), []);
    assert.deepEqual(problems, []);
    await closeAll(page);
  });
});

async function closeAll(page: Page) {
  await page.context().close();
}
