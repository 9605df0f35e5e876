// The React front end of the Go back end runs on another origin and sends its Bearer token with
// every read: a real browser must get every answer (CORS and preflight).
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { it } from 'node:test';
import { buildTestApp } from '../helpers/app.js';
import { BROWSER_TIMEOUT_MS, launchBrowser } from '../helpers/browser.js';
import { describeEachDatabase } from '../helpers/database.js';
import { createComponents } from '../helpers/factories.js';

describeEachDatabase('cross-origin reads from a browser', () => {
  it('lets a page on another origin read events, components and availability with a Bearer header', { timeout: BROWSER_TIMEOUT_MS }, async (t) => {
    const api = await buildTestApp(t);
    await createComponents(api.store, { 'Domain Name System': { region: 'EU-DE', category: 'Network', type: 'dns' } });
    await api.postStatus({ name: 'Domain Name System', impact: 2, attributes: [{ name: 'region', value: 'EU-DE' }] });
    await api.app.listen({ port: 0, host: '127.0.0.1' });
    const apiUrl = `http://127.0.0.1:${(api.app.server.address() as AddressInfo).port}`;

    // The "front end": another origin (another port) serving a page that calls the API.
    const frontEnd = createServer((_request, response) => {
      response.setHeader('content-type', 'text/html');
      response.end('<!doctype html><title>front end</title><p>front end</p>');
    });
    frontEnd.listen(0, '127.0.0.1');
    await once(frontEnd, 'listening');
    t.after(() => frontEnd.close());
    const frontEndUrl = `http://localhost:${(frontEnd.address() as AddressInfo).port}/`;

    const browser = await launchBrowser(t);
    const page = await browser.newPage();
    await page.goto(frontEndUrl);
    // Handed over as text: the test loader's helpers do not exist inside the page.
    const answers = await page.evaluate<{ status: number; json: string }[]>(`(async () => {
      const headers = { Authorization: 'Bearer an.expired.token', 'Content-Type': 'application/json' };
      const answers = [];
      for (const path of ['/v2/events', '/v2/components', '/v2/availability']) {
        const response = await fetch(${JSON.stringify(apiUrl)} + path, { headers });
        answers.push({ status: response.status, json: JSON.stringify(await response.json()) });
      }
      return answers;
    })()`);
    assert.deepEqual(answers.map((answer) => answer.status), [200, 200, 200]);
    const [events, components, availability] = answers.map((answer) => JSON.parse(answer.json) as unknown);
    const [event] = (events as { data: Record<string, unknown>[] }).data;
    assert.ok(event && Array.isArray(event.components) && Array.isArray(event.updates) && typeof event.status === 'string');
    assert.equal((components as { name: string }[])[0]?.name, 'Domain Name System');
    assert.equal((availability as { data: { availability: unknown[] }[] }).data[0]?.availability.length, 12);
  });
});
