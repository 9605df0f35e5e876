// Issue 19, item 5: the embeddable banner on another site, under that site's strict CSP (only our
// origin for scripts and requests, no styles at all, nothing inline): it shows the active outage with its
// link, nothing when all is well, breaks no rule of the policy, and axe finds nothing serious.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { seriousViolations } from '../helpers/axe.js';
import { buildTestApp } from '../helpers/app.js';
import { BROWSER_TIMEOUT_MS, launchBrowser, watchProblems } from '../helpers/browser.js';
import { describeEachDatabase } from '../helpers/database.js';
import { createComponents } from '../helpers/factories.js';

const BANNER = '[data-status-dashboard-banner]';

/** Another site: its pages include our script, for the region in their own query, under a strict policy. */
async function embeddingSite(t: Parameters<typeof buildTestApp>[0], statusUrl: string): Promise<string> {
  // No style-src: default-src 'none' forbids every style element and attribute; the CSSOM stays allowed.
  const policy = `default-src 'none'; script-src ${statusUrl}; connect-src ${statusUrl}; base-uri 'none'; form-action 'none'`;
  const site = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://site');
    if (url.pathname !== '/') {
      response.statusCode = 404;
      response.end();
      return;
    }
    const region = url.searchParams.get('region');
    response.setHeader('content-security-policy', policy);
    response.setHeader('content-type', 'text/html; charset=utf-8');
    response.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Our product</title>
      <script src="${statusUrl}/banner.js"${region ? ` data-region="${region}"` : ''} defer></script></head>
      <body><main><h1>Our product</h1><p>Everything about our product.</p></main></body></html>`);
  });
  site.listen(0, '127.0.0.1');
  await once(site, 'listening');
  t.after(() => site.close());
  return `http://localhost:${(site.address() as AddressInfo).port}/`;
}

/** A page of the site, with every CSP violation, console error and failed request it meets. */
async function openSite(browser: Browser, url: string, statusUrl: string, options: { bypassCSP?: boolean } = {}): Promise<{ page: Page; problems: string[] }> {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const problems = watchProblems(page);
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`));
  });
  const answered = page.waitForResponse((response) => response.url().startsWith(`${statusUrl}/banner.json`));
  await page.goto(url);
  await answered;
  return { page, problems };
}

describeEachDatabase('the embeddable banner on a site with a strict CSP', () => {
  it('shows the active outage with its link, nothing where all is well, and breaks no rule of the policy', { timeout: BROWSER_TIMEOUT_MS }, async (t) => {
    const browser = await launchBrowser(t);
    const api = await buildTestApp(t);
    await createComponents(api.store, [
      ['Elastic Cloud Server', { region: 'EU-DE', category: 'Compute', type: 'ecs' }],
      ['Elastic Cloud Server', { region: 'EU-NL', category: 'Compute', type: 'ecs' }],
    ]);
    await api.app.listen({ port: 0, host: '127.0.0.1' });
    const statusUrl = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
    const siteUrl = await embeddingSite(t, statusUrl);

    const quiet = await openSite(browser, `${siteUrl}?region=EU-DE`, statusUrl);
    // The answer is in; give the script a moment to have shown anything it would.
    await quiet.page.waitForTimeout(300);
    assert.equal(await quiet.page.locator(BANNER).count(), 0, 'nothing is active: no banner');
    assert.deepEqual(quiet.problems, []);

    const opened = await api.postStatus({ name: 'Elastic Cloud Server', impact: 3, text: 'Instances <b>do not</b> start', attributes: [{ name: 'region', value: 'EU-DE' }] });
    assert.equal(opened.statusCode, 201, opened.body);
    const outage = opened.json<{ id: number; text: string }>();

    for (const region of ['EU-DE', undefined]) {
      const { page, problems } = await openSite(browser, region ? `${siteUrl}?region=${region}` : siteUrl, statusUrl);
      const banner = page.locator(BANNER);
      await banner.waitFor({ timeout: 10_000 });
      assert.equal(await banner.getAttribute('role'), 'status');
      assert.equal(await banner.getAttribute('data-status-dashboard-banner'), 'outage');
      assert.equal((await banner.textContent())?.replace(/\s+/g, ' ').trim(), `Outage: ${outage.text}Details`, 'the title as text, never as markup');
      assert.equal(await banner.locator('b').count(), 0);
      assert.equal(await banner.getByRole('link', { name: 'Details' }).getAttribute('href'), `${statusUrl}/incidents/${outage.id}`);
      // Styled through the CSSOM, which the policy allows, and not through a style attribute or element.
      assert.equal(await banner.evaluate((element) => getComputedStyle(element).backgroundColor), 'rgb(164, 22, 26)');
      assert.equal(await page.locator('style').count(), 0);
      assert.deepEqual(problems, [], `region ${region ?? 'none'}`);
    }

    const elsewhere = await openSite(browser, `${siteUrl}?region=EU-NL`, statusUrl);
    await elsewhere.page.waitForTimeout(300);
    assert.equal(await elsewhere.page.locator(BANNER).count(), 0, 'the other region is quiet');
    assert.deepEqual(elsewhere.problems, []);

    // axe's own script needs the policy bypassed; what it looks at is the same banner.
    const checked = await openSite(browser, `${siteUrl}?region=EU-DE`, statusUrl, { bypassCSP: true });
    await checked.page.locator(BANNER).waitFor({ timeout: 10_000 });
    assert.deepEqual(await seriousViolations(checked.page), []);
  });
});
