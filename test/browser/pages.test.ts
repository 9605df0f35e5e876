// The public pages in a real browser (Debian's Chromium): what a reader sees, with and without
// script, at phone and desktop widths, in light and dark, and what axe-core finds.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { it, type TestContext } from 'node:test';
import type { Browser, BrowserContextOptions } from 'playwright-core';
import { seriousViolations } from '../helpers/axe.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { BROWSER_TIMEOUT_MS, launchBrowser } from '../helpers/browser.js';
import { DAY, HOUR } from '../helpers/clock.js';
import { describeEachDatabase } from '../helpers/database.js';
import { createComponents, createEvent } from '../helpers/factories.js';

const XSS = `<img src=x onerror="window.__xss=1">`;

async function served(t: TestContext) {
  // First, so that the test's pages close first (after-hooks run in order): open pages keep
  // polling, and the server's close would wait for them.
  const browser = await launchBrowser(t);
  const api = await buildTestApp(t);
  const components = await createComponents(api.store, [
    ['Elastic Cloud Server', { region: 'EU-DE', category: 'Compute', type: 'ecs' }],
    ['Object Storage Service', { region: 'EU-DE', category: 'Storage', type: 'obs' }],
    ['Elastic Cloud Server', { region: 'EU-NL', category: 'Compute', type: 'ecs' }],
    [`Svc ${XSS}`, { region: 'EU-NL', category: `Cat ${XSS}`, type: 'x' }],
  ]);
  await api.app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
  return { api, url, browser, ids: components.map((component) => component.id) };
}

async function open(browser: Browser, url: string, options: BrowserContextOptions = {}) {
  const context = await browser.newContext({ locale: 'en-GB', timezoneId: 'Europe/Berlin', ...options });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('dialog', (dialog) => {
    problems.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  const response = await page.goto(url);
  return { page, response, problems, context };
}

async function post(api: TestApp, name: string, region: string, impact: number) {
  const response = await api.postStatus({ name, impact, text: 'probe', attributes: [{ name: 'region', value: region }] });
  assert.equal(response.statusCode, 201, response.body);
}

describeEachDatabase('the public pages in Chromium', { timeout: BROWSER_TIMEOUT_MS }, () => {
  it('shows a posted outage in its region and category, in the reader’s time zone', async (t) => {
    const { api, url, browser } = await served(t);
    await post(api, 'Object Storage Service', 'EU-DE', 3);
    const { page, problems } = await open(browser, url);
    assert.equal(await page.locator('#headline').textContent(), 'Outage in EU-DE (1 active incident)');
    const card = page.locator('.card', { has: page.getByRole('heading', { name: 'Storage' }) });
    assert.equal((await card.locator('.components > li > :not(.uptime)').allTextContents()).join(''), 'Object Storage ServiceOutage');
    assert.equal(await page.getByRole('link', { name: 'EU-DE (Outage)' }).getAttribute('aria-current'), 'page');
    // 12:00 UTC on 10 March is 13:00 in Berlin; the script rewrote it.
    const began = page.locator('.event-summary time').first();
    assert.equal(await began.textContent(), '10 Mar 2026, 13:00 CET');
    assert.equal(await began.getAttribute('title'), '2026-03-10T12:00:00.000Z');

    await page.getByRole('link', { name: 'EU-NL' }).click();
    await page.waitForURL(/region=EU-NL/);
    const compute = page.locator('.card', { has: page.getByRole('heading', { name: 'Compute' }) });
    assert.equal((await compute.locator('.components > li > :not(.uptime)').allTextContents()).join(''), 'Elastic Cloud ServerOperational');
    assert.deepEqual(problems, []);
  });

  it('walks from the front page to the incident page and its timeline, newest first', async (t) => {
    const { api, url, browser } = await served(t);
    await post(api, 'Elastic Cloud Server', 'EU-DE', 1);
    api.clock.advance(60_000);
    await post(api, 'Elastic Cloud Server', 'EU-DE', 3); // raises the incident's impact (H-C)
    const { page, problems } = await open(browser, url);
    await page.locator('.event-summary h3 a').click();
    await page.waitForURL(/\/incidents\/\d+$/);
    assert.equal(await page.locator('h1').textContent(), 'probe', 'v1 titles the incident with the posted text');
    const entries = await page.locator('.timeline li').allTextContents();
    assert.equal(entries.length, 1);
    assert.match(entries[0] ?? '', /^SYSTEM · 10 Mar 2026, 13:01 CETimpact changed from minor to outage$/);
    assert.equal(await page.getByRole('link', { name: 'Elastic Cloud Server' }).getAttribute('href'), '/components/1', 'the service links to its page');
    assert.deepEqual(problems, []);
  });

  it('shows a new incident on an open page within 10 seconds, without a reload, and tells screen readers', async (t) => {
    const { api, url, browser } = await served(t);
    const { page, problems } = await open(browser, url);
    assert.equal(await page.locator('#headline').textContent(), 'All systems operational');
    await page.evaluate('window.__sameDocument = true');
    await page.waitForTimeout(500); // the script learns the page's tag first
    await post(api, 'Elastic Cloud Server', 'EU-NL', 2);
    await page.locator('#headline', { hasText: 'Major issue in EU-NL' }).waitFor({ timeout: 10_000 });
    assert.equal(await page.evaluate('window.__sameDocument'), true, 'no reload');
    assert.equal(await page.locator('#live-announcer').textContent(), 'Major issue in EU-NL (1 active incident)');
    assert.equal(await page.locator('#live-announcer').getAttribute('aria-live'), 'polite');
    assert.match((await page.locator('.event-summary time').first().textContent()) ?? '', /CET$/, 'new times are local too');
    assert.deepEqual(problems, []);
  });

  it('shows the status without JavaScript', async (t) => {
    const { api, url, browser, ids } = await served(t);
    await post(api, 'Object Storage Service', 'EU-DE', 2);
    const { page } = await open(browser, url, { javaScriptEnabled: false });
    assert.equal(await page.locator('#headline').textContent(), 'Major issue in EU-DE (1 active incident)');
    assert.match((await page.locator('.event-summary time').first().textContent()) ?? '', /^2026-03-10 12:00 UTC$/);
    await page.getByRole('link', { name: 'EU-NL' }).click();
    await page.waitForURL(/region=EU-NL/);
    assert.equal(await page.locator('.components > li').count(), 2);
    assert.ok(ids.length > 0);
  });

  it('renders script in titles, texts, component names and attributes as text', async (t) => {
    const { api, url, browser, ids } = await served(t);
    const opened = await api.app.inject({
      method: 'POST',
      url: '/v2/events',
      headers: { authorization: api.auth },
      payload: { title: `T ${XSS}`, description: `D ${XSS}`, impact: 2, type: 'incident', start_date: new Date(api.clock.now - HOUR).toISOString(), components: [ids[3]] },
    });
    assert.equal(opened.statusCode, 200, opened.body);
    const id = opened.json<{ result: { incident_id: number }[] }>().result[0]?.incident_id;
    await api.app.inject({
      method: 'PATCH',
      url: `/v2/events/${id}`,
      headers: { authorization: api.auth },
      payload: { status: 'analysing', message: `U ${XSS}`, update_date: new Date(api.clock.now).toISOString() },
    });
    for (const path of ['/?region=EU-NL', `/incidents/${id}`]) {
      const { page, problems } = await open(browser, `${url}${path}`);
      await page.waitForTimeout(200);
      assert.equal(await page.evaluate('window.__xss'), undefined, path);
      assert.equal(await page.locator('main img').count(), 0, `${path}: no injected element`);
      assert.match((await page.locator('main').textContent()) ?? '', /T <img src=x onerror="window.__xss=1">/, `${path} shows the title as text`);
      assert.deepEqual(problems, []);
    }
  });

  it('fits a 360 px phone and a 1440 px desktop, in light and dark, without serious accessibility violations', async (t) => {
    const { api, url, browser, ids } = await served(t);
    await post(api, 'Object Storage Service', 'EU-DE', 3);
    await post(api, 'Elastic Cloud Server', 'EU-NL', 1);
    const now = api.clock.now;
    const maintenance = await createEvent(api.store, { type: 'maintenance', title: 'Kernel upgrade', startAt: now - HOUR, endAt: now + HOUR, componentIds: [ids[0] ?? 0] });
    await createEvent(api.store, { type: 'maintenance', title: 'Network change', startAt: now + DAY, endAt: now + DAY + HOUR, componentIds: [ids[2] ?? 0] });
    await createEvent(api.store, { title: 'Old outage', impact: 3, startAt: now - 40 * DAY, endAt: now - 39 * DAY, componentIds: [ids[1] ?? 0] });
    const paths = ['/', '/?region=EU-NL', `/incidents/${maintenance}`, '/incidents/1', '/incidents/999999', '/history', '/history?region=EU-XX', '/availability', '/availability?region=EU-NL'];
    for (const [width, colorScheme] of [[360, 'light'], [1440, 'dark']] as const) {
      for (const path of paths) {
        const { page, problems, context } = await open(browser, `${url}${path}`, { viewport: { width, height: 800 }, colorScheme, bypassCSP: true });
        const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
        assert.ok(overflow <= 0, `${path} at ${width} px scrolls sideways by ${overflow} px`);
        assert.deepEqual(await seriousViolations(page), [], `${path} at ${width} px, ${colorScheme}`);
        assert.deepEqual(problems.filter((problem) => !problem.includes('404')), []);
        await context.close();
      }
    }
  });

  it('filters the history with its form, without script', async (t) => {
    const { api, url, browser, ids } = await served(t);
    const now = api.clock.now;
    await createEvent(api.store, { title: 'DE compute outage', impact: 3, startAt: now - 40 * DAY, endAt: now - 39 * DAY, componentIds: [ids[0] ?? 0] });
    await createEvent(api.store, { title: 'DE storage slow', impact: 1, startAt: now - 20 * DAY, endAt: now - 19 * DAY, componentIds: [ids[1] ?? 0] });
    await createEvent(api.store, { title: 'NL compute slow', impact: 1, startAt: now - 3 * DAY, endAt: now - 2 * DAY, componentIds: [ids[2] ?? 0] });
    const { page } = await open(browser, `${url}/history`, { javaScriptEnabled: false });
    const titles = () => page.locator('main h3 a, main li a[href^="/incidents/"]').allTextContents();
    assert.deepEqual(await titles(), ['NL compute slow', 'DE storage slow', 'DE compute outage']);
    assert.deepEqual(await page.locator('main h2').allTextContents(), ['March 2026', 'February 2026', 'January 2026']);
    await page.getByLabel('Region').selectOption('EU-DE');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/region=EU-DE/);
    assert.deepEqual(await titles(), ['DE storage slow', 'DE compute outage']);
    await page.getByLabel('Category').selectOption('Compute');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/category=Compute/);
    assert.deepEqual(await titles(), ['DE compute outage']);
  });

  it('shows the availability of a known outage', async (t) => {
    const { api, url, browser, ids } = await served(t);
    // 5 hours in January 2026 (31 days): (44640 - 300) / 44640 = 99.33 %.
    const start = Date.parse('2026-01-15T10:00:00Z');
    await createEvent(api.store, { title: 'Outage', impact: 3, startAt: start, endAt: start + 5 * HOUR, componentIds: [ids[1] ?? 0] });
    const { page } = await open(browser, `${url}/availability?region=EU-DE`);
    const row = page.getByRole('row', { name: /Object Storage Service/ });
    const cells = await row.locator('td').allTextContents();
    assert.equal(cells.length, 12);
    assert.equal(cells[9], '99.33 percent', 'January 2026, read with its unit');
    assert.match((await row.locator('td').nth(9).getAttribute('class')) ?? '', /band-degraded/);
    assert.ok(cells.filter((_, index) => index !== 9).every((cell) => cell === '100.00 percent'));
    const header = await page.getByRole('columnheader').nth(12).textContent();
    assert.match(header ?? '', /January 2026/);
  });
});
