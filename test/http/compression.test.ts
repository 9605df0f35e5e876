// Issue 19, item 6: answers in brotli and gzip, chosen by Accept-Encoding, with Vary and an ETag
// per encoding, compressed once per state of the data and kept with the cached answer.
import assert from 'node:assert/strict';
import { syncBuiltinESMExports } from 'node:module';
import { describe, it, mock, type TestContext } from 'node:test';
import zlib from 'node:zlib';
import { chooseCoding, LARGEST_SYNC } from '../../src/http/compression.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { countCompressions, decoded } from '../helpers/compression.js';
import { HOUR } from '../helpers/clock.js';
import { createTestDatabase, describeEachDatabase } from '../helpers/database.js';
import { createComponents, createEvent } from '../helpers/factories.js';
import { logInOperator } from '../helpers/operator.js';
import { switchable } from '../helpers/switchable-store.js';

describe('chooseCoding (Accept-Encoding, RFC 9110 §12.5.3)', () => {
  const cases: [string | undefined, string][] = [
    [undefined, 'identity'],
    ['', 'identity'],
    ['gzip', 'gzip'],
    ['gzip, deflate, br', 'br'],
    ['br;q=0.5, gzip', 'gzip'],
    ['BR;Q=1, GZIP;Q=1', 'br'],
    ['br;q=0, gzip;q=0', 'identity'],
    ['*', 'br'],
    ['br;q=0, *', 'gzip'],
    ['*;q=0.2, identity;q=0.5', 'identity'],
    ['identity;q=0, gzip;q=0.1', 'gzip'],
    ['identity;q=0', 'identity'],
    ['compress, deflate, zstd', 'identity'],
    ['gzip;q=nonsense, br;q=0.001', 'br'],
    ['gzip;q=7', 'gzip'],
    [' , ;q=1, gzip ; q=0.8 ', 'gzip'],
  ];
  for (const [header, expected] of cases) {
    it(`${JSON.stringify(header)} → ${expected}`, () => assert.equal(chooseCoding(header), expected));
  }
});

async function withCatalog(t: TestContext, count = 30) {
  const api = await buildTestApp(t, { publicUrl: 'https://status.example.org' });
  const components = await createComponents(
    api.store,
    Array.from({ length: count }, (_, index): [string, Record<string, string>] => [`Service ${index}`, { region: index % 2 ? 'EU-NL' : 'EU-DE', category: 'Compute', type: `s${index}` }]),
  );
  for (const [index, component] of components.slice(0, 10).entries()) {
    await createEvent(api.store, { type: 'incident', title: `Disks are slow (${index})`, impact: 2, startAt: api.clock.now - HOUR, componentIds: [component.id] });
  }
  return { api, components };
}

const get = (api: TestApp, url: string, encoding?: string, more: Record<string, string> = {}) =>
  api.app.inject({ method: 'GET', url, headers: { accept: 'text/html', ...(encoding === undefined ? {} : { 'accept-encoding': encoding }), ...more } });

const KINDS = [
  '/',
  '/history',
  '/availability',
  '/incidents/1',
  '/api/v1/component_status',
  '/api/v1/incidents',
  '/api/v2/availability',
  '/api/v2/incidents',
  '/api/v2/summary.json',
  '/api/v2/components.json',
  '/feeds/atom.xml',
  '/feeds/rss.xml?region=EU-DE',
  '/feeds/feed.json',
  '/rss/?mt=EU-DE',
  '/banner.js',
];

describeEachDatabase('compressed answers', () => {
  it('sends every kind of answer in br, gzip and identity, the same bytes once decoded, with Vary and a tag per encoding', async (t) => {
    const { api } = await withCatalog(t);
    const assetUrls = (await get(api, '/')).body.match(/\/assets\/[\w.]+\.(?:css|js)/g) ?? [];
    assert.ok(assetUrls.length >= 2, 'the page links its style and script');
    for (const url of [...KINDS, ...assetUrls]) {
      const identity = await get(api, url);
      assert.equal(identity.statusCode, 200, url);
      assert.ok(identity.rawPayload.length >= 1024, `${url} is large enough to compress (${identity.rawPayload.length} bytes)`);
      const tags = new Set<unknown>([identity.headers.etag]);
      for (const coding of ['br', 'gzip']) {
        const response = await get(api, url, coding === 'br' ? 'gzip, deflate, br' : 'gzip');
        assert.equal(response.statusCode, 200, url);
        assert.equal(response.headers['content-encoding'], coding, url);
        assert.match(String(response.headers.vary), /Accept-Encoding/, url);
        assert.ok(response.rawPayload.length < identity.rawPayload.length, `${url} is smaller in ${coding}`);
        assert.deepEqual(decoded(response), identity.rawPayload, `${url} in ${coding}`);
        assert.equal(response.headers['content-type'], identity.headers['content-type'], url);
        tags.add(response.headers.etag);
      }
      assert.match(String(identity.headers.vary), /Accept-Encoding/, url);
      if (identity.headers.etag !== undefined) assert.equal(tags.size, 3, `${url}: one tag per encoding`);
    }
  });

  it('answers If-None-Match with 304 per encoding only, and HEAD with the headers of GET', async (t) => {
    const { api } = await withCatalog(t);
    for (const url of ['/', '/api/v1/incidents', '/banner.js']) {
      const br = await get(api, url, 'br');
      const gzip = await get(api, url, 'gzip');
      const identity = await get(api, url);
      assert.equal(br.headers.etag, String(identity.headers.etag).replace(/"$/, '-br"'), url);
      assert.equal(gzip.headers.etag, String(identity.headers.etag).replace(/"$/, '-gz"'), url);
      assert.equal((await get(api, url, 'br', { 'if-none-match': String(br.headers.etag) })).statusCode, 304, url);
      assert.equal((await get(api, url, 'gzip', { 'if-none-match': String(gzip.headers.etag) })).statusCode, 304, url);
      assert.equal((await get(api, url, undefined, { 'if-none-match': String(identity.headers.etag) })).statusCode, 304, url);
      // A tag of another encoding does not stand for these bytes.
      const crossed = await get(api, url, 'gzip', { 'if-none-match': String(br.headers.etag) });
      assert.equal(crossed.statusCode, 200, url);
      assert.deepEqual(decoded(crossed), identity.rawPayload, url);

      const head = await api.app.inject({ method: 'HEAD', url, headers: { accept: 'text/html', 'accept-encoding': 'br' } });
      assert.equal(head.statusCode, 200, url);
      assert.equal(head.rawPayload.length, 0, url);
      assert.equal(head.headers['content-encoding'], 'br', url);
      assert.equal(head.headers.etag, br.headers.etag, url);
      assert.match(String(head.headers.vary), /Accept-Encoding/, url);
    }
  });

  it('follows q-values: q=0 refuses a coding, unknown codings and identity;q=0 alone get the bytes as they are', async (t) => {
    const { api } = await withCatalog(t);
    const codingFor = async (header: string) => (await get(api, '/api/v1/component_status', header)).headers['content-encoding'];
    assert.equal(await codingFor('br;q=0.4, gzip;q=0.9'), 'gzip');
    assert.equal(await codingFor('br;q=0, *'), 'gzip');
    assert.equal(await codingFor('*'), 'br');
    assert.equal(await codingFor('gzip;q=0, br;q=0'), undefined);
    assert.equal(await codingFor('compress, zstd'), undefined);
    assert.equal(await codingFor('identity;q=0'), undefined);
    assert.equal(await codingFor('identity;q=0, gzip;q=0.1'), 'gzip');
  });

  it('leaves small answers and images uncompressed', async (t) => {
    const { api } = await withCatalog(t, 1);
    for (const url of ['/api/v1/incidents', '/banner.json', '/api/v2/status.json']) {
      const response = await get(api, url, 'br, gzip');
      assert.equal(response.statusCode, 200, url);
      assert.ok(response.rawPayload.length < 1024, `${url} is small`);
      assert.equal(response.headers['content-encoding'], undefined, url);
      assert.match(String(response.headers.vary), /Accept-Encoding/, url);
    }
  });

  it('compresses a kept answer once per state of the data, and again when the data changes', async (t) => {
    const { api } = await withCatalog(t);
    const compressions = countCompressions(t);
    for (const url of ['/', '/api/v1/component_status', '/api/v2/summary.json', '/feeds/atom.xml']) {
      const before = compressions();
      const first = await get(api, url, 'br');
      const second = await get(api, url, 'br');
      assert.equal(compressions() - before, 1, `${url}: one compression for two reads`);
      assert.deepEqual(second.rawPayload, first.rawPayload, url);
      await get(api, url, 'gzip');
      await get(api, url, 'gzip');
      assert.equal(compressions() - before, 2, `${url}: one more for gzip`);
    }
    const page = await get(api, '/', 'br');
    const opened = await api.postStatus({ name: 'Service 10', impact: 3, text: 'Down', attributes: [{ name: 'region', value: 'EU-DE' }] });
    assert.equal(opened.statusCode, 201);
    const before = compressions();
    const changed = await get(api, '/', 'br');
    assert.equal(compressions() - before, 1, 'the new state is compressed once');
    assert.notEqual(changed.headers.etag, page.headers.etag);
    assert.match(decoded(changed).toString(), /Service 10/);
    assert.notDeepEqual(decoded(changed), decoded(page));
  });

  it('compresses an answer too large for the event loop on the thread pool, and sends it uncompressed until then', async (t) => {
    const { api } = await withCatalog(t, 2000);
    const identity = await get(api, '/api/v1/component_status');
    assert.ok(identity.rawPayload.length > LARGEST_SYNC, `${identity.rawPayload.length} bytes`);
    assert.equal(identity.headers.etag, undefined, 'not hashed on the event loop either');
    const compressions = countCompressions(t);
    const first = await get(api, '/api/v1/component_status', 'br');
    assert.equal(first.headers['content-encoding'], undefined, 'sent as it is while brotli works');
    assert.match(String(first.headers.vary), /Accept-Encoding/);
    let later = first;
    for (let tries = 0; tries < 200 && later.headers['content-encoding'] === undefined; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 25));
      later = await get(api, '/api/v1/component_status', 'br');
    }
    assert.equal(later.headers['content-encoding'], 'br');
    assert.deepEqual(decoded(later), identity.rawPayload);
    assert.equal(compressions(), 0, 'nothing compressed on the event loop');
  });

  it('sends a large page built for one request (an operator\'s) uncompressed, and starts no compression for it', async (t) => {
    const { api } = await withCatalog(t, 2000);
    const operator = await logInOperator(api);
    const asOperator = (encoding: string) => api.app.inject({ method: 'GET', url: '/', headers: { cookie: operator.cookie, accept: 'text/html', 'accept-encoding': encoding } });
    const first = await asOperator('br');
    assert.ok(first.rawPayload.length > LARGEST_SYNC, `${first.rawPayload.length} bytes`);
    const background = mock.method(zlib, 'brotliCompress');
    syncBuiltinESMExports();
    t.after(() => {
      background.mock.restore();
      syncBuiltinESMExports();
    });
    const compressions = countCompressions(t);
    for (const encoding of ['br', 'gzip']) {
      const page = await asOperator(encoding);
      assert.equal(page.statusCode, 200);
      assert.equal(page.headers['content-encoding'], undefined, encoding);
      assert.match(page.body, /Logged in as alice/);
    }
    assert.equal(compressions() + background.mock.callCount(), 0);
    const anonymous = await get(api, '/', 'br');
    assert.equal(anonymous.headers['content-encoding'], undefined, 'the kept page is compressed on the thread pool meanwhile');
    assert.equal(background.mock.callCount(), 1);
  });

  it('marks a page read while the database is away as stale, compressed too, and never under the fresh tag', async (t) => {
    const { store } = await createTestDatabase(t);
    await createComponents(
      store,
      Array.from({ length: 20 }, (_, index): [string, Record<string, string>] => [`Service ${index}`, { region: 'EU-1', category: 'Core' }]),
    );
    const database = switchable(store);
    t.after(() => database.store.health.close());
    const api = await buildTestApp(t, { store: database.store, readWaitMs: 5_000 });
    const fresh = await get(api, '/', 'br');
    api.clock.advance(60_000);
    database.goAway();
    for (const coding of ['br', 'gzip']) {
      const stale = await get(api, '/', coding);
      assert.equal(stale.statusCode, 200);
      assert.equal(stale.headers['content-encoding'], coding);
      assert.equal(stale.headers['cache-control'], 'no-store');
      assert.match(decoded(stale).toString(), /live updates paused/);
      assert.notEqual(stale.headers.etag, fresh.headers.etag);
      assert.equal((await get(api, '/', coding, { 'if-none-match': String(fresh.headers.etag) })).statusCode, 200, 'the fresh tag does not match the stale page');
    }
    database.comeBack();
    database.store.health.markUp();
    const back = await get(api, '/', 'br');
    assert.doesNotMatch(decoded(back).toString(), /live updates paused/);
    assert.equal(back.headers.etag, fresh.headers.etag);
  });
});
