// Issue 19, item 6: headers that let a CDN or reverse proxy absorb an outage-day crowd, while
// browsers revalidate and nothing for a logged-in person is kept by a shared cache.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { HOUR } from '../helpers/clock.js';
import { createTestDatabase, describeEachDatabase } from '../helpers/database.js';
import { createComponents, createEvent } from '../helpers/factories.js';
import { logInOperator } from '../helpers/operator.js';
import { switchable } from '../helpers/switchable-store.js';

const SHARED = 'public, max-age=0, s-maxage=5, stale-if-error=86400';
const CDN = 'public, max-age=5, stale-while-revalidate=30, stale-if-error=86400';

const PUBLIC_READS = [
  '/',
  '/?region=EU-DE',
  '/history',
  '/availability',
  '/incidents/1',
  '/components/1',
  '/badge.svg',
  '/badge/region/EU-DE.svg',
  '/badge/component/1.svg',
  '/feeds/atom.xml',
  '/feeds/rss.xml',
  '/feeds/feed.json',
  '/rss/?mt=EU-DE',
  '/api/v1/component_status',
  '/api/v1/component_status?name=Elastic',
  '/api/v1/incidents',
  '/api/v2/availability',
  '/api/v2/events',
  '/api/v2/events/1',
  '/api/v2/incidents',
  '/api/v2/components',
  '/api/v2/components/1',
  '/api/v2/summary.json',
  '/api/v2/status.json',
  '/api/v2/scheduled-maintenances/upcoming.json',
  '/banner.json',
  '/banner.json?region=EU-DE',
];

async function withCatalog(t: Parameters<typeof buildTestApp>[0], options: Parameters<typeof buildTestApp>[1] = {}) {
  const api = await buildTestApp(t, options);
  const [de] = await createComponents(api.store, [
    ['Elastic Cloud Server', { region: 'EU-DE', category: 'Compute', type: 'ecs' }],
    ['Elastic Cloud Server', { region: 'EU-NL', category: 'Compute', type: 'ecs' }],
  ]);
  await createEvent(api.store, { type: 'incident', title: 'Instances do not start', impact: 2, startAt: api.clock.now - HOUR, componentIds: [de?.id ?? 0] });
  return api;
}

const get = (api: TestApp, url: string, headers: Record<string, string> = {}) => api.app.inject({ method: 'GET', url, headers: { accept: 'text/html', ...headers } });

function assertPrivate(response: { headers: Record<string, unknown> }, what: string) {
  assert.equal(response.headers['cache-control'], 'private, no-store', what);
  assert.equal(response.headers['cdn-cache-control'], undefined, what);
}

describeEachDatabase('cache headers for a CDN', () => {
  it('lets shared caches keep every public read a few seconds and serve it stale, while browsers revalidate', async (t) => {
    const api = await withCatalog(t);
    for (const url of PUBLIC_READS) {
      const response = await get(api, url);
      assert.equal(response.statusCode, 200, url);
      assert.equal(response.headers['cache-control'], SHARED, url);
      assert.equal(response.headers['cdn-cache-control'], CDN, url);
    }
    const page = await get(api, '/');
    assert.match(String(page.headers.vary), /Cookie/, 'a page a logged-in person sees differently varies by Cookie');
    assert.ok(page.headers.etag, 'browsers revalidate with the tag');
    const api2 = await get(api, '/api/v2/events');
    assert.match(String(api2.headers.vary), /Authorization/, 'API v2 events answer callers with a role differently');
  });

  it('keeps whatever a logged-in person or a caller with a role reads out of every shared cache', async (t) => {
    const api = await withCatalog(t);
    const operator = await logInOperator(api);
    for (const url of ['/', '/history', '/incidents/1', '/components/1', '/availability']) {
      const response = await operator.get(url);
      assert.equal(response.statusCode, 200, url);
      assertPrivate(response, url);
      assert.match(String(response.headers.vary), /Cookie/, url);
    }
    for (const url of ['/reviews', '/events/new', '/webhooks']) {
      const response = await operator.get(url);
      if (response.statusCode === 200) assertPrivate(response, url);
    }
    for (const url of ['/api/v2/events', '/api/v2/events/1', '/api/v2/incidents']) {
      const response = await get(api, url, { authorization: api.auth });
      assert.equal(response.statusCode, 200, url);
      assertPrivate(response, url);
      assert.match(String(response.headers.vary), /Authorization/, url);
    }
  });

  it('lets no cache keep an answer read from memory while the database is away', async (t) => {
    const { store } = await createTestDatabase(t);
    await createComponents(store, { Compute: { region: 'EU-1', category: 'Core' } });
    const database = switchable(store);
    t.after(() => database.store.health.close());
    const api = await buildTestApp(t, { store: database.store, readWaitMs: 5_000 });
    assert.equal((await get(api, '/')).headers['cdn-cache-control'], CDN);
    api.clock.advance(60_000);
    database.goAway();
    for (const url of ['/', '/api/v1/incidents', '/api/v2/summary.json', '/badge.svg', '/feeds/atom.xml', '/banner.json']) {
      const response = await get(api, url);
      assert.equal(response.statusCode, 200, url);
      assert.equal(response.headers['cache-control'], 'no-store', url);
      assert.equal(response.headers['cdn-cache-control'], undefined, url);
    }
  });
});
