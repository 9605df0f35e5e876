// Issue 19, item 3, read by a real consumer: Atlassian's own embeddable status widget
// (@statuspage/status-widget, from the npm registry) on a page of another origin, pointed at our
// server. It reads /api/v2/summary.json and shows the rollup; it must show ours, without errors.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { it } from 'node:test';
import { buildTestApp } from '../helpers/app.js';
import { BROWSER_TIMEOUT_MS, launchBrowser, watchProblems } from '../helpers/browser.js';
import { describeEachDatabase } from '../helpers/database.js';
import { createComponents } from '../helpers/factories.js';

/** The widget as the package ships it: served from node_modules, never downloaded at run time. */
const WIDGET_SCRIPT = readFileSync(new URL(import.meta.resolve('@statuspage/status-widget/dist/index.js')));

describeEachDatabase('Atlassian\'s status widget reading our Statuspage JSON', () => {
  it('shows our rollup during an outage, in both of its appearances, with no error and no failed request', { timeout: BROWSER_TIMEOUT_MS }, async (t) => {
    const browser = await launchBrowser(t);
    const api = await buildTestApp(t);
    await createComponents(api.store, { 'Elastic Cloud Server': { region: 'EU-DE', category: 'Compute', type: 'ecs' }, 'Object Storage': { region: 'EU-DE', category: 'Storage', type: 'obs' } });
    const opened = await api.postStatus({ name: 'Elastic Cloud Server', impact: 3, text: 'Instances do not start', attributes: [{ name: 'region', value: 'EU-DE' }] });
    assert.equal(opened.statusCode, 201, opened.body);
    await api.app.listen({ port: 0, host: '127.0.0.1' });
    const statusUrl = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;

    // The embedding site: another origin (another port), as in the widget's README. The package's
    // bundle ends by assigning an undeclared `parcelRequire` in strict mode, which throws once the
    // widget is defined (a bug of 1.0.5, whatever server it reads): declared first, it does not.
    const site = createServer((request, response) => {
      if (request.url === '/widget.js') {
        response.setHeader('content-type', 'text/javascript');
        response.end(WIDGET_SCRIPT);
      } else if (request.url === '/') {
        response.setHeader('content-type', 'text/html; charset=utf-8');
        response.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Our product</title><link rel="icon" href="data:,"></head><body>
          <statuspage-widget id="basic" src="${statusUrl}"></statuspage-widget>
          <statuspage-widget id="badge" src="${statusUrl}" appearance="badge" title="Cloud status"></statuspage-widget>
          <script>var parcelRequire;</script><script src="/widget.js"></script></body></html>`);
      } else {
        response.statusCode = 404;
        response.end();
      }
    });
    site.listen(0, '127.0.0.1');
    await once(site, 'listening');
    t.after(() => site.close());
    const siteUrl = `http://localhost:${(site.address() as AddressInfo).port}/`;

    const page = await browser.newPage();
    const problems = watchProblems(page);
    const summaries: string[] = [];
    page.on('response', (response) => {
      if (response.url().startsWith(statusUrl)) summaries.push(response.url());
    });
    await page.goto(siteUrl);

    // Playwright's CSS locators pierce the widget's shadow root.
    const basic = page.locator('#basic .status-container');
    await basic.waitFor({ timeout: 20_000 });
    assert.equal((await page.locator('#basic .status-text').textContent())?.trim(), 'Major Service Outage');
    assert.match((await page.locator('#basic .status-indicator').getAttribute('class')) ?? '', /\bcritical\b/);
    assert.equal(await page.locator('#basic a').getAttribute('href'), statusUrl, 'it links to our page');

    const badge = page.locator('#badge .status-indicator');
    await badge.waitFor({ timeout: 20_000 });
    assert.equal((await badge.textContent())?.trim(), 'Major Service Outage');
    assert.match((await badge.getAttribute('class')) ?? '', /\bcritical\b/);
    assert.equal((await page.locator('#badge .status-text').textContent())?.trim(), 'Cloud status');

    assert.deepEqual([...new Set(summaries)], [`${statusUrl}/api/v2/summary.json`], 'what the widget reads');
    assert.deepEqual(problems, []);
  });
});
