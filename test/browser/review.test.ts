// The maintenance review in a real browser (issue 17): a creator proposes a maintenance with the
// form, an operator finds it in the header, opens it and approves it, the lifecycle plans it and
// starts it with its window; readers see it only from the approval on. axe checks the new pages.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { hashPassword } from '../../src/auth/passwords.js';
import { advanceLifecycles } from '../../src/storage/lifecycle.js';
import { addOperator } from '../../src/storage/operators.js';
import { seriousViolations } from '../helpers/axe.js';
import { buildTestApp } from '../helpers/app.js';
import { BROWSER_TIMEOUT_MS, launchBrowser } from '../helpers/browser.js';
import { HOUR, MINUTE } from '../helpers/clock.js';
import { describeEachDatabase } from '../helpers/database.js';
import { createComponents } from '../helpers/factories.js';
import { CHEAP_COST, PASSWORD } from '../helpers/login-form.js';

const TITLE = 'Database upgrade in EU-DE';
const CONTACT = 'dba@example.org';

/** A browser of its own per person (cookies apart), in Berlin; axe is injected script, which the pages' policy forbids. */
async function personIn(browser: Browser, problems: string[]): Promise<Page> {
  const context = await browser.newContext({ locale: 'en-GB', timezoneId: 'Europe/Berlin', bypassCSP: true });
  const page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return page;
}

/** Logs in with the /login form, as people do. */
async function logIn(page: Page, url: string, username: string): Promise<void> {
  await page.goto(url);
  await page.getByRole('link', { name: 'Log in' }).click();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${url}/`);
  assert.match((await page.locator('.session').textContent()) ?? '', new RegExp(`Logged in as ${username}`));
}

describeEachDatabase('the maintenance review in Chromium', { timeout: BROWSER_TIMEOUT_MS }, () => {
  it('a creator proposes, an operator approves; the lifecycle plans it, then starts it; readers see it only once approved', async (t) => {
    const browser = await launchBrowser(t);
    const api = await buildTestApp(t);
    await createComponents(api.store, [
      ['Relational Database Service', { region: 'EU-DE', category: 'Database', type: 'rds' }],
      ['Relational Database Service', { region: 'EU-NL', category: 'Database', type: 'rds' }],
    ]);
    const hash = await hashPassword(PASSWORD, CHEAP_COST);
    await addOperator(api.store, 'carol', hash, api.clock.read(), 'cli:test', 'creator');
    await addOperator(api.store, 'bob', hash, api.clock.read(), 'cli:test', 'operator');
    await api.app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
    const problems: string[] = [];
    const reader = await (await browser.newContext({ locale: 'en-GB', timezoneId: 'America/New_York' })).newPage();
    const readerSees = async (path: string) => {
      const response = await reader.goto(`${url}${path}`);
      return { status: response?.status(), text: (await reader.locator('main').textContent()) ?? '' };
    };

    // The creator proposes a maintenance with the form: two hours ahead, 15:00 to 16:00 in Berlin.
    const creator = await personIn(browser, problems);
    await logIn(creator, url, 'carol');
    assert.equal(await creator.getByRole('link', { name: 'Your proposals (0)' }).count(), 1);
    await creator.getByRole('link', { name: 'Propose a maintenance' }).click();
    await creator.waitForURL(`${url}/incidents`);
    assert.equal(await creator.locator('h1').textContent(), 'Propose a maintenance');
    assert.equal(await creator.getByRole('radio').count(), 0, 'a maintenance and nothing else');
    assert.deepEqual(await seriousViolations(creator), [], 'the proposal form');
    await creator.getByLabel('Title').fill(TITLE);
    await creator.getByLabel('Description').fill('The database restarts once; writes pause for about ten seconds.');
    await creator.getByLabel('Contact email').fill(CONTACT);
    assert.equal(await creator.getByLabel('Time zone of the dates').inputValue(), 'Europe/Berlin');
    await creator.getByLabel('Start', { exact: true }).fill('2026-03-10T15:00');
    await creator.getByLabel('End', { exact: true }).fill('2026-03-10T16:00');
    await creator.getByRole('group', { name: 'EU-DE', exact: true }).getByLabel('Relational Database Service').check();
    await creator.getByRole('button', { name: 'Propose the maintenance' }).click();
    await creator.waitForURL(/\/incidents\/\d+$/);
    const eventPath = new URL(creator.url()).pathname;
    assert.equal(await creator.locator('.event-state').textContent(), 'Maintenance pending review');
    assert.match((await creator.locator('#review-heading').textContent()) ?? '', /Pending review/);
    assert.equal(await creator.getByRole('button', { name: 'Approve' }).count(), 0, 'a creator does not approve');
    assert.equal(await creator.getByRole('link', { name: 'Your proposals (1)' }).count(), 1);
    assert.deepEqual(await seriousViolations(creator), [], 'the proposal, as its proposer sees it');

    // Readers see nothing of it.
    assert.equal((await readerSees(eventPath)).status, 404);
    assert.doesNotMatch((await readerSees('/')).text, new RegExp(TITLE));

    await creator.getByRole('button', { name: 'Log out' }).click();
    await creator.waitForURL(`${url}/`);
    assert.equal(await creator.getByRole('link', { name: 'Log in' }).count(), 1);

    // The operator finds it in the header, opens it from the reviews page and approves it.
    const operator = await personIn(browser, problems);
    await logIn(operator, url, 'bob');
    await operator.getByRole('link', { name: 'Reviews (1)' }).click();
    await operator.waitForURL(`${url}/reviews`);
    assert.equal(await operator.locator('h1').textContent(), 'Maintenances pending review');
    const listed = (await operator.locator('main').textContent()) ?? '';
    assert.match(listed, /Proposed bycarol/);
    assert.match(listed, new RegExp(CONTACT));
    assert.deepEqual(await seriousViolations(operator), [], 'the reviews page');
    await operator.getByRole('link', { name: TITLE }).click();
    await operator.waitForURL(`${url}${eventPath}`);
    assert.match((await operator.locator('.facts').textContent()) ?? '', new RegExp(`Proposed bycarol.*Contact${CONTACT}`, 's'));
    assert.deepEqual(await seriousViolations(operator), [], 'the proposal, as an operator sees it');
    await operator.getByRole('button', { name: 'Approve' }).click();
    await operator.waitForURL(`${url}${eventPath}`);
    assert.equal(await operator.locator('.event-state').textContent(), 'Maintenance reviewed');
    assert.equal(await operator.locator('#review-heading').count(), 0);
    assert.equal(await operator.getByRole('link', { name: 'Reviews (0)' }).count(), 1);

    // Approved: readers see it, without proposer or contact.
    let seen = await readerSees(eventPath);
    assert.equal(seen.status, 200);
    assert.match(seen.text, new RegExp(TITLE));
    assert.doesNotMatch(seen.text, new RegExp(`${CONTACT}|carol|Proposed by`));

    // The lifecycle (every 30 s in the server) plans it ...
    assert.equal(await advanceLifecycles(api.store, api.clock.read()), 1);
    await operator.reload();
    assert.equal(await operator.locator('.event-state').textContent(), 'Maintenance planned');
    assert.match((await operator.locator('.timeline li').first().textContent()) ?? '', /planned.*Maintenance is approved and planned\./s);
    seen = await readerSees('/');
    assert.match(seen.text, new RegExp(TITLE));

    // ... and starts it with its window (14:00 UTC).
    api.clock.advance(2 * HOUR + MINUTE);
    await advanceLifecycles(api.store, api.clock.read());
    seen = await readerSees(eventPath);
    assert.match(seen.text, /Maintenance in progress/);
    assert.match(seen.text, /Maintenance is in progress\./);
    assert.deepEqual(problems, []);
  });
});
