// A page per service (issue 19, item 2): /components/{id} and /regions/{region}/services/{name}.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { DAY, HOUR, MINUTE } from '../helpers/clock.js';
import { describeEachDatabase } from '../helpers/database.js';
import { createComponents, createEvent } from '../helpers/factories.js';
import { htmlPage, text, XSS, XSS_ESCAPED } from '../helpers/pages.js';
import { buildSubscriptionApp } from '../helpers/subscriptions.js';

async function cloud(t: Parameters<typeof buildTestApp>[0]): Promise<{ api: TestApp; compute: number; storage: number; computeNl: number }> {
  const api = await buildTestApp(t);
  const [compute, storage, computeNl] = await createComponents(api.store, [
    ['Elastic Cloud Server', { region: 'EU-DE', category: 'Compute', type: 'ecs' }],
    ['Object Storage Service', { region: 'EU-DE', category: 'Storage', type: 'obs' }],
    ['Elastic Cloud Server', { region: 'EU-NL', category: 'Compute', type: 'ecs' }],
  ]);
  return { api, compute: compute?.id ?? 0, storage: storage?.id ?? 0, computeNl: computeNl?.id ?? 0 };
}

describeEachDatabase('the page of a service', () => {
  it('shows its state, what is in progress and planned, its bar, 12 months and its history, and links its feeds, badge and region', async (t) => {
    const { api, compute, storage } = await cloud(t);
    const now = api.clock.now;
    await createEvent(api.store, { title: 'API errors', impact: 2, startAt: now - HOUR, componentIds: [compute, storage] });
    await createEvent(api.store, { type: 'maintenance', title: 'Kernel upgrade', startAt: now + DAY, endAt: now + DAY + HOUR, componentIds: [compute] });
    await createEvent(api.store, { title: 'Old outage', impact: 3, startAt: Date.parse('2026-01-15T10:00:00Z'), endAt: Date.parse('2026-01-15T15:00:00Z'), componentIds: [compute] });
    await createEvent(api.store, { title: 'Storage only', impact: 1, startAt: now - 3 * DAY, endAt: now - 2 * DAY, componentIds: [storage] });
    const html = await htmlPage(api, `/components/${compute}`);
    const seen = text(html);
    assert.match(html, /<title>Elastic Cloud Server in EU-DE \| Status Dashboard<\/title>/);
    assert.match(seen, /Elastic Cloud Server Region EU-DE · Category Compute Major issue In progress API errors/);
    assert.match(seen, /Planned Kernel upgrade ?: 2026-03-11 12:00 UTC to 2026-03-11 13:00 UTC/);
    assert.match(html, /aria-label="Elastic Cloud Server, availability in the last 90 days"/);
    assert.match(seen, /Availability by month .* March 2026 100\.00 percent February 2026 100\.00 percent January 2026 99\.33 percent December 2025/);
    assert.equal((seen.match(/\d+\.\d\d percent/g) ?? []).length, 12, 'twelve months');
    assert.match(seen, /History January 2026 Old outage/);
    assert.ok(!seen.includes('Storage only'), 'only its own events');
    assert.match(html, /href="\/feeds\/atom\.xml\?component=Elastic\+Cloud\+Server&amp;region=EU-DE"/);
    assert.match(html, /href="\/feeds\/feed\.json\?component=Elastic\+Cloud\+Server&amp;region=EU-DE"/);
    assert.match(html, new RegExp(`<img src="/badge/component/${compute}\\.svg" alt="Status badge of Elastic Cloud Server in EU-DE"`));
    assert.match(html, /Region <a href="\/\?region=EU-DE">EU-DE<\/a>/);
    // The feed it links exists and holds its events.
    const feed = await api.app.inject({ method: 'GET', url: '/feeds/feed.json?component=Elastic+Cloud+Server&region=EU-DE' });
    assert.equal(feed.statusCode, 200);
    assert.match(feed.body, /Old outage/);
    assert.equal((await api.app.inject({ method: 'GET', url: `/badge/component/${compute}.svg` })).statusCode, 200);
  });

  it('offers an email subscription preset to the service when email is on, and whose form names it', async (t) => {
    const api = await buildSubscriptionApp(t);
    const [component] = await createComponents(api.store, [['Elastic Cloud Server', { region: 'EU-DE', category: 'Compute' }]]);
    const html = await htmlPage(api, `/components/${component?.id}`);
    const link = `/subscribe?component=${component?.id}`;
    assert.ok(html.includes(`<a href="${link}">Subscribe to news of Elastic Cloud Server in EU-DE by email</a>`));
    const form = await htmlPage(api, link);
    assert.match(form, new RegExp(`value="${component?.id}"[^>]*checked|checked[^>]*value="${component?.id}"`), 'the form comes with the service chosen');
  });

  it('is the same page at its readable address, by region and name', async (t) => {
    const { api, compute, computeNl } = await cloud(t);
    assert.equal(await htmlPage(api, '/regions/EU-DE/services/Elastic%20Cloud%20Server'), await htmlPage(api, `/components/${compute}`));
    assert.equal(await htmlPage(api, '/regions/EU-NL/services/Elastic%20Cloud%20Server'), await htmlPage(api, `/components/${computeNl}`));
  });

  it('answers 404 for an unknown service and 400 for a malformed number, as a page or as JSON', async (t) => {
    const { api } = await cloud(t);
    for (const [url, status, message] of [
      ['/components/999', 404, 'There is no service with the number 999.'],
      ['/regions/EU-XX/services/Elastic%20Cloud%20Server', 404, 'There is no service Elastic Cloud Server in EU-XX.'],
      ['/regions/EU-DE/services/Nothing', 404, 'There is no service Nothing in EU-DE.'],
      ['/components/abc', 400, 'A service\'s number is a whole number from 1 to 2147483647, not "abc".'],
      ['/components/0', 400, 'A service\'s number is a whole number from 1 to 2147483647, not "0".'],
      ['/components/99999999999', 400, 'A service\'s number is a whole number from 1 to 2147483647, not "99999999999".'],
    ] as const) {
      const json = await api.app.inject({ method: 'GET', url });
      assert.equal(json.statusCode, status, url);
      assert.deepEqual(json.json(), { code: status, message, status: status === 404 ? 'Not Found' : 'Bad Request' }, url);
      const page = await api.app.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
      assert.equal(page.statusCode, status, url);
      assert.match(String(page.headers['content-type']), /^text\/html/);
      assert.ok(text(page.body).includes(message.replace(/"/g, '&quot;')) || text(page.body).includes(message), `${url}: ${text(page.body)}`);
    }
    const badPage = await api.app.inject({ method: 'GET', url: '/components/1?page=x' });
    assert.equal(badPage.statusCode, 422, 'a page number is digits, as on /history');
  });

  it('pages its history 25 events at a time, newest first', async (t) => {
    const { api, compute } = await cloud(t);
    for (let index = 1; index <= 30; index++) {
      await createEvent(api.store, { title: `Event ${index}`, impact: 1, startAt: api.clock.now - (40 - index) * DAY, endAt: api.clock.now - (40 - index) * DAY + HOUR, componentIds: [compute] });
    }
    const first = text(await htmlPage(api, `/components/${compute}`));
    assert.match(first, /Event 30 .*Event 6 /);
    assert.ok(!/Event 5 /.test(first));
    assert.match(first, /Page 1 of 2/);
    const second = await htmlPage(api, `/components/${compute}?page=2`);
    assert.match(text(second), /Event 5 .*Event 1 /);
    assert.match(second, new RegExp(`href="/components/${compute}#history-heading" rel="prev"`));
    assert.equal(await htmlPage(api, `/components/${compute}?page=9`), second, 'beyond the last page, the last');
  });

  it('escapes user text: names, attributes and titles', async (t) => {
    const api = await buildTestApp(t);
    const [component] = await createComponents(api.store, [[XSS, { region: XSS, category: XSS }]]);
    await createEvent(api.store, { title: XSS, impact: 3, startAt: api.clock.now - HOUR, componentIds: [component?.id ?? 0] });
    const html = await htmlPage(api, `/components/${component?.id}`);
    assert.ok(!html.includes(XSS), 'never markup');
    assert.ok(html.includes(XSS_ESCAPED));
    const readable = await htmlPage(api, `/regions/${encodeURIComponent(XSS)}/services/${encodeURIComponent(XSS)}`);
    assert.equal(readable, html);
  });

  it('follows the clock and every change: an event starting, a minute passing with an open outage', async (t) => {
    const { api, compute, storage } = await cloud(t);
    await createEvent(api.store, { type: 'maintenance', title: 'Soon', startAt: api.clock.now + 10 * MINUTE, endAt: api.clock.now + HOUR, componentIds: [compute] });
    assert.match(text(await htmlPage(api, `/components/${compute}`)), /Operational .*Planned Soon/);
    api.clock.advance(11 * MINUTE);
    assert.match(text(await htmlPage(api, `/components/${compute}`)), /Maintenance In progress Soon/);
    const posted = await api.postStatus({ name: 'Object Storage Service', impact: 3, text: 'down', attributes: [{ name: 'region', value: 'EU-DE' }] });
    assert.equal(posted.statusCode, 201);
    const before = text(await htmlPage(api, `/components/${storage}`));
    assert.match(before, /Outage In progress down/);
    api.clock.advance(30 * MINUTE);
    const after = text(await htmlPage(api, `/components/${storage}`));
    assert.notEqual(after.match(/March 2026 ([\d.]+) percent/)?.[1], before.match(/March 2026 ([\d.]+) percent/)?.[1], 'the month falls while the outage lasts');
  });
});

describeEachDatabase('links to the page of a service', () => {
  it('from the front page, an incident page, the history and the event summaries', async (t) => {
    const { api, compute, storage } = await cloud(t);
    const id = await createEvent(api.store, { title: 'Past', impact: 1, startAt: api.clock.now - 2 * DAY, endAt: api.clock.now - DAY, componentIds: [compute, storage] });
    await createEvent(api.store, { title: 'Now', impact: 1, startAt: api.clock.now - HOUR, componentIds: [storage] });
    const link = (target: number, name: string) => `<a href="/components/${target}">${name}</a>`;
    const front = await htmlPage(api, '/?region=EU-DE');
    assert.ok(front.includes(`<a class="component-name" href="/components/${compute}">Elastic Cloud Server</a>`), 'the front page names its services with links');
    assert.ok(front.includes(link(storage, 'Object Storage Service')), 'the active incident names its services with links');
    const incident = await htmlPage(api, `/incidents/${id}`);
    assert.ok(incident.includes(link(compute, 'Elastic Cloud Server')) && incident.includes(link(storage, 'Object Storage Service')));
    const history = await htmlPage(api, '/history');
    assert.ok(history.includes(link(compute, 'Elastic Cloud Server')));
  });
});
