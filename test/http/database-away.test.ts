// Spec §8, the page outlives its database, through the whole HTTP surface: while the database is
// away, reads answer from memory and say so, writes get 503 at once, and both recover by
// themselves. (test/faults does the same against a real PostgreSQL that is restarted or frozen.)
import assert from 'node:assert/strict';
import { it, type TestContext } from 'node:test';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { createTestDatabase, describeEachDatabase } from '../helpers/database.js';
import { createComponents } from '../helpers/factories.js';
import { logInOperator } from '../helpers/operator.js';
import { switchable } from '../helpers/switchable-store.js';

async function setUp(t: TestContext, readWaitMs = 5_000) {
  const { store } = await createTestDatabase(t);
  await createComponents(store, { Compute: { region: 'EU-1', category: 'Core' } });
  const database = switchable(store);
  t.after(() => database.store.health.close());
  const api = await buildTestApp(t, { store: database.store, readWaitMs });
  assert.equal((await api.postStatus({ name: 'Compute', impact: 2, attributes: [{ name: 'region', value: 'EU-1' }], text: 'Slow' })).statusCode, 201);
  return { api, database };
}

const get = (api: TestApp, url: string, headers: Record<string, string> = {}) => api.app.inject({ method: 'GET', url, headers });

describeEachDatabase('while the database is away', () => {
  it('answers reads from memory, marked stale as of the last confirmed moment, and clears the mark on return', async (t) => {
    const { api, database } = await setUp(t);
    const fresh = await get(api, '/api/v1/incidents');
    assert.equal(fresh.headers['x-stale-as-of'], undefined);
    const lastCurrent = api.clock.now;
    api.clock.advance(60_000);
    database.goAway();

    for (const url of ['/api/v1/incidents', '/api/v1/component_status', '/api/v2/events', '/api/v2/components', '/api/v2/availability', '/badge.svg', '/feeds/atom.xml', '/history', '/availability']) {
      const response = await get(api, url);
      assert.equal(response.statusCode, 200, url);
      assert.equal(response.headers['x-stale-as-of'], new Date(lastCurrent).toISOString(), url);
      assert.equal(response.headers['cache-control'], 'no-store', url);
    }
    assert.deepEqual((await get(api, '/api/v1/incidents')).json(), fresh.json(), 'the last state this instance knows');

    const page = await get(api, '/', { accept: 'text/html' });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Status as of <time datetime="2026-03-10T12:00:00.000Z">2026-03-10 12:00 UTC<\/time>; live updates paused\./);
    const event = await get(api, '/incidents/1', { accept: 'text/html' });
    assert.match(event.body, /live updates paused/);

    database.comeBack();
    database.store.health.markUp();
    const back = await get(api, '/', { accept: 'text/html' });
    assert.equal(back.headers['x-stale-as-of'], undefined);
    assert.doesNotMatch(back.body, /live updates paused/);
    assert.notEqual(back.headers.etag, page.headers.etag, 'a stale page never answers a fresh one with 304');
  });

  it('answers writes with 503 and Retry-After at once, in the format of each API, and accepts them again on return', async (t) => {
    const { api, database } = await setUp(t);
    database.goAway();
    const started = performance.now();
    const v1 = await api.postStatus({ name: 'Compute', impact: 3, attributes: [{ name: 'region', value: 'EU-1' }] });
    assert.equal(v1.statusCode, 503);
    assert.equal(v1.headers['retry-after'], '5');
    assert.deepEqual(v1.json(), { code: 503, message: 'The database is unavailable; please try again shortly.', status: 'Service Unavailable' });
    const v2 = await api.app.inject({
      method: 'POST',
      url: '/api/v2/events',
      headers: { authorization: api.auth },
      payload: { title: 'Outage', impact: 3, components: [1], start_date: '2026-03-10T11:00:00Z', type: 'incident', system: true },
    });
    assert.equal(v2.statusCode, 503);
    assert.deepEqual(v2.json(), { errMsg: 'the database is unavailable, try again later' });
    const patch = await api.app.inject({
      method: 'PATCH',
      url: '/api/v2/events/1',
      headers: { authorization: api.auth },
      payload: { status: 'fixing', message: 'Working on it', update_date: '2026-03-10T12:00:00Z' },
    });
    assert.equal(patch.statusCode, 503);
    assert.ok(performance.now() - started < 1_000, 'no write waits for a database known to be away');

    database.comeBack();
    database.store.health.markUp();
    assert.equal((await api.postStatus({ name: 'Compute', impact: 3, attributes: [{ name: 'region', value: 'EU-1' }] })).statusCode, 201);
  });

  it('refuses operator forms with 503', async (t) => {
    const { api, database } = await setUp(t);
    const operator = await logInOperator(api);
    database.goAway();
    const response = await operator.post('/incidents/1', { status: 'fixing', title: 'Slow responses', text: 'We are working on it.', date: '2026-03-10T12:00', timezone: 'UTC' });
    assert.equal(response.statusCode, 503);
    assert.equal(response.headers['retry-after'], '5');
  });

  it('reads do not wait for a database that stops answering: stale within the read wait', async (t) => {
    const { api, database } = await setUp(t, 200);
    database.stopAnswering();
    const started = performance.now();
    const response = await get(api, '/api/v1/incidents');
    const took = performance.now() - started;
    assert.equal(response.statusCode, 200);
    assert.ok(response.headers['x-stale-as-of']);
    assert.ok(took >= 190 && took < 1_000, `answered after ${Math.round(took)} ms`);
  });

  it('tells load balancers: /healthz while the process lives, /readyz only with the database', async (t) => {
    const { api, database } = await setUp(t);
    assert.deepEqual((await get(api, '/healthz')).json(), { status: 'ok' });
    const ready = await get(api, '/readyz');
    assert.equal(ready.statusCode, 200);
    assert.deepEqual(ready.json(), { status: 'ready', database: 'up', schema: 'current' });
    database.goAway();
    assert.equal((await get(api, '/healthz')).statusCode, 200);
    const unready = await get(api, '/readyz');
    assert.equal(unready.statusCode, 503);
    const body = unready.json<{ status: string; database: string; reason: string; since: string }>();
    assert.equal(body.status, 'unavailable');
    assert.equal(body.database, 'down');
    assert.match(body.reason, /ECONNREFUSED/);
    assert.ok(!Number.isNaN(Date.parse(body.since)));
    assert.equal(unready.headers['cache-control'], 'no-store');
  });
});
