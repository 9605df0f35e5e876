// The 90-day uptime bars (issue 19) in Chromium: what a keyboard reader sees, at phone and desktop
// widths, in light and dark, and what axe-core finds.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { it, type TestContext } from 'node:test';
import type { Browser, BrowserContextOptions, Locator, Page } from 'playwright-core';
import { seriousViolations } from '../helpers/axe.js';
import { buildTestApp } from '../helpers/app.js';
import { BROWSER_TIMEOUT_MS, launchBrowser } from '../helpers/browser.js';
import { DAY, HOUR } from '../helpers/clock.js';
import { describeEachDatabase } from '../helpers/database.js';
import { createComponents, createEvent } from '../helpers/factories.js';

const XSS = `<img src=x onerror="window.__xss=1">`;

async function served(t: TestContext) {
  // First, so that the pages close before the server does (after-hooks run in order).
  const browser = await launchBrowser(t);
  const api = await buildTestApp(t);
  const now = api.clock.now;
  const [compute, storage] = await createComponents(api.store, [
    ['Elastic Cloud Server', { region: 'EU-DE', category: 'Compute', type: 'ecs' }],
    [`Storage ${XSS}`, { region: 'EU-DE', category: 'Storage', type: 'obs' }],
  ]);
  // A service added 20 days ago: its first 70 days have no data.
  await createComponents(api.store, [['Cloud Trace Service', { region: 'EU-DE', category: 'Management', type: 'cts' }]], now - 20 * DAY);
  await createEvent(api.store, { title: 'Outage', impact: 3, startAt: now - 30 * DAY, endAt: now - 30 * DAY + 2 * HOUR, componentIds: [compute?.id ?? 0] });
  await createEvent(api.store, { type: 'maintenance', title: 'Upgrade', startAt: now - 10 * DAY, endAt: now - 10 * DAY + HOUR, componentIds: [storage?.id ?? 0] });
  await createEvent(api.store, { title: 'Slow', impact: 1, startAt: now - 2 * HOUR, componentIds: [storage?.id ?? 0] });
  await api.app.listen({ port: 0, host: '127.0.0.1' });
  return { api, url: `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`, browser };
}

async function open(browser: Browser, url: string, options: BrowserContextOptions = {}) {
  const context = await browser.newContext({ locale: 'en-GB', timezoneId: 'UTC', ...options });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  await page.goto(url);
  return { page, problems, context };
}

async function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => element === document.activeElement);
}

/** Presses Tab from the page's start until `target` has the focus (at most 80 times). */
async function tabUntil(page: Page, target: Locator): Promise<void> {
  for (let presses = 0; presses < 80 && !(await isFocused(target)); presses++) await page.keyboard.press('Tab');
  assert.ok(await isFocused(target), 'reachable by keyboard');
}

describeEachDatabase('uptime bars in Chromium', { timeout: BROWSER_TIMEOUT_MS }, () => {
  it('opens a day’s text on keyboard focus, reads it to screen readers, and draws one column per day', async (t) => {
    const { url, browser } = await served(t);
    const { page, problems } = await open(browser, url, { viewport: { width: 1440, height: 900 } });
    const bar = page.getByRole('list', { name: 'Elastic Cloud Server, availability in the last 90 days' });
    assert.deepEqual(await bar.getByRole('listitem').allTextContents(), ['11 Dec to 7 Feb: operational, 100.00 %', '8 Feb: outage, 91.67 %', '9 Feb to 10 Mar: operational, 100.00 %']);
    const outage = bar.getByRole('listitem').nth(1);
    assert.ok(((await outage.locator('span').boundingBox())?.width ?? 0) <= 1, 'the text is hidden until asked for');
    // With the script a bar is one tab stop, its latest cell; the arrow keys walk its days.
    await tabUntil(page, bar.getByRole('listitem').last());
    await page.keyboard.press('ArrowLeft');
    assert.ok(await isFocused(outage), 'the left arrow goes to the day before');
    const tip = outage.locator('span');
    const box = await tip.boundingBox();
    assert.ok(box && box.width > 100 && box.height > 10, `focus opens the tooltip: ${JSON.stringify(box)}`);
    assert.equal(await tip.textContent(), '8 Feb: outage, 91.67 %');
    await page.keyboard.press('Home');
    assert.ok(await isFocused(bar.getByRole('listitem').first()));
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Cloud Trace Service', 'Tab leaves the bar for the next service’s link');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.closest('ol')?.getAttribute('aria-label')), 'Cloud Trace Service, availability in the last 90 days', 'and then its bar');

    // The columns: 90 days across the bar, the outage's cell one day wide.
    const [barBox, cellBox] = await Promise.all([bar.boundingBox(), outage.boundingBox()]);
    assert.ok(barBox && cellBox);
    assert.ok(Math.abs(cellBox.width - (barBox.width - 89) / 90) < 1, `one day is ${cellBox.width} px of ${barBox.width}`);
    const colours = await bar.getByRole('listitem').evaluateAll((items) => items.map((item) => getComputedStyle(item).getPropertyValue('--day-colour').trim()));
    assert.equal(new Set(colours).size, 2, 'operational and outage have colours of their own');

    const added = page.getByRole('list', { name: 'Cloud Trace Service, availability in the last 90 days' });
    assert.equal(await added.getByRole('listitem').first().textContent(), '11 Dec to 17 Feb: no data');
    assert.match((await page.locator('.uptime-total').allTextContents()).join('|'), /99\.91 % in 90 days/);
    assert.equal(await page.evaluate('window.__xss'), undefined);
    assert.deepEqual(problems, []);
  });

  it('lets every cell take the keyboard focus without script', async (t) => {
    const { url, browser } = await served(t);
    const { page } = await open(browser, url, { viewport: { width: 360, height: 800 }, javaScriptEnabled: false });
    const outage = page.getByRole('list', { name: 'Elastic Cloud Server, availability in the last 90 days' }).getByRole('listitem').nth(1);
    await tabUntil(page, outage);
    const box = await outage.locator('span').boundingBox();
    assert.ok(box && box.width > 100, `focus opens the tooltip: ${JSON.stringify(box)}`);
    assert.ok((await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth')) <= 0, 'the tooltip stays on the phone');
  });

  it('fits a 360 px phone and a 1440 px desktop, in light and dark, without serious accessibility violations', async (t) => {
    const { url, browser } = await served(t);
    for (const width of [360, 1440]) {
      for (const colorScheme of ['light', 'dark'] as const) {
        const { page, problems, context } = await open(browser, url, { viewport: { width, height: 800 }, colorScheme, bypassCSP: true });
        // Focus the last cell of the last bar, where a tooltip would stick out the most.
        await page.locator('.uptime-days li').last().focus();
        const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
        assert.ok(overflow <= 0, `/ at ${width} px scrolls sideways by ${overflow} px`);
        await page.locator('.uptime-days li').first().focus();
        assert.ok((await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth')) <= 0);
        assert.deepEqual(await seriousViolations(page), [], `/ at ${width} px, ${colorScheme}`);
        assert.deepEqual(problems, []);
        await context.close();
      }
    }
  });

  it('walks from the front page to a service’s page, which fits a phone and a desktop in light and dark without serious violations', async (t) => {
    const { url, browser } = await served(t);
    const { page, problems } = await open(browser, url, { viewport: { width: 360, height: 800 } });
    await page.getByRole('link', { name: 'Elastic Cloud Server' }).click();
    await page.waitForURL(/\/components\/\d+$/);
    assert.equal(await page.locator('h1').textContent(), 'Elastic Cloud Server');
    assert.equal(await page.getByRole('list', { name: 'Elastic Cloud Server, availability in the last 90 days' }).getByRole('listitem').nth(1).textContent(), '8 Feb: outage, 91.67 %');
    assert.equal(await page.getByRole('row', { name: /February 2026/ }).locator('td').textContent(), '99.70 percent');
    assert.ok(await page.getByRole('img', { name: 'Status badge of Elastic Cloud Server in EU-DE' }).isVisible());
    assert.deepEqual(problems, []);
    const servicePath = new URL(page.url()).pathname;
    for (const path of [servicePath, '/regions/EU-DE/services/Storage%20%3Cimg%20src%3Dx%20onerror%3D%22window.__xss%3D1%22%3E']) {
      for (const width of [360, 1440]) {
        for (const colorScheme of ['light', 'dark'] as const) {
          const opened = await open(browser, `${url}${path}`, { viewport: { width, height: 800 }, colorScheme, bypassCSP: true });
          assert.equal(await opened.page.evaluate('window.__xss'), undefined);
          await opened.page.locator('.uptime-days li').last().focus();
          const overflow = await opened.page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
          assert.ok(overflow <= 0, `${path} at ${width} px scrolls sideways by ${overflow} px`);
          assert.deepEqual(await seriousViolations(opened.page), [], `${path} at ${width} px, ${colorScheme}`);
          assert.deepEqual(opened.problems, []);
          await opened.context.close();
        }
      }
    }
  });
});
