// The audit log in Chromium at 360 px, light and dark; a badge still shows in an <img> under the pages' policy.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { it } from 'node:test';
import { seriousViolations } from '../helpers/axe.js';
import { buildTestApp } from '../helpers/app.js';
import { BROWSER_TIMEOUT_MS, launchBrowser } from '../helpers/browser.js';
import { describeEachDatabase } from '../helpers/database.js';
import { createComponents } from '../helpers/factories.js';
import { logInOperator } from '../helpers/operator.js';

describeEachDatabase('the audit log in Chromium', { timeout: BROWSER_TIMEOUT_MS }, () => {
  it('fits a 360 px screen (the table scrolls in its own frame) in both schemes, without serious axe findings', async (t) => {
    const browser = await launchBrowser(t);
    const api = await buildTestApp(t);
    await createComponents(api.store, [['Elastic Cloud Server', { region: 'EU-DE', category: 'Compute' }]]);
    await api.postStatus({ name: 'Elastic Cloud Server', impact: 1, text: 'A rather long title that would widen a table cell on a small screen', attributes: [{ name: 'region', value: 'EU-DE' }] });
    const operator = await logInOperator(api);
    await api.app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
    const [name = '', value = ''] = operator.cookie.split(/=(.*)/s);

    for (const colorScheme of ['light', 'dark'] as const) {
      // axe is injected script, which the pages' policy forbids.
      const context = await browser.newContext({ viewport: { width: 360, height: 740 }, colorScheme, bypassCSP: true });
      await context.addCookies([{ name, value, url }]);
      const page = await context.newPage();
      await page.goto(`${url}/audit`);
      assert.equal(await page.locator('h1').textContent(), 'Audit log');
      assert.ok((await page.locator('.audit-table tbody tr').count()) >= 2);
      const widths = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, frame: document.querySelector('.table-wrap')?.clientWidth ?? 0 }));
      assert.ok(widths.page <= 360, `${colorScheme}: the page is ${widths.page} px wide`);
      assert.ok(widths.frame > 0 && widths.frame <= 360);
      assert.deepEqual(await seriousViolations(page), [], colorScheme);
      await context.close();
    }
  });

  it('shows a status badge in an <img> of a page that carries the security headers', async (t) => {
    const browser = await launchBrowser(t);
    const api = await buildTestApp(t);
    await api.app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;
    const page = await (await browser.newContext()).newPage();
    const refused: string[] = [];
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
    });
    await page.goto(`${url}/history`);
    const width = await page.evaluate(
      (src) =>
        new Promise<number>((resolve) => {
          const image = document.createElement('img');
          image.onload = () => resolve(image.naturalWidth);
          image.onerror = () => resolve(0);
          image.src = src;
          document.body.append(image);
        }),
      '/badge.svg',
    );
    assert.ok(width > 0, 'the badge loaded and rendered');
    assert.deepEqual(refused, []);
  });
});
