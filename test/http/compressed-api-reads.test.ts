// Issue 19, item 6, for the API reads the React front end polls and the tools read (API v2
// components and events, API v1 lookups and prefixes): kept per version of the read model, so
// compressed once per state of the data, with an ETag per encoding; the answers clients choose
// (queries, ids) in a bounded number per version; staff answers private and built per request.
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { KEPT } from '../../src/http/kept-json.js';
import { eventQueryKey, parseEventQuery } from '../../src/http/v2/event-query.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { HOUR, MINUTE } from '../helpers/clock.js';
import { countCompressions, decoded } from '../helpers/compression.js';
import { describeEachDatabase } from '../helpers/database.js';
import { createComponents, createEvent } from '../helpers/factories.js';

/** 30 services, an incident on each of the first ten, five more on Service 1, and one event with a long title. */
async function withHistory(t: TestContext) {
  const api = await buildTestApp(t);
  const components = await createComponents(
    api.store,
    Array.from({ length: 30 }, (_, index): [string, Record<string, string>] => [`Service ${index}`, { region: index % 2 ? 'EU-NL' : 'EU-DE', category: 'Compute', type: `s${index}` }]),
  );
  const ids = components.map((component) => component.id);
  for (const [index, id] of ids.slice(0, 10).entries()) {
    await createEvent(api.store, { type: 'incident', title: `Disks are slow (${index})`, impact: 2, startAt: api.clock.now - HOUR - index * MINUTE, componentIds: [id] });
  }
  for (let index = 0; index < 5; index += 1) {
    await createEvent(api.store, { type: 'incident', title: `Service 1 was slow, episode ${index}`, impact: 1, startAt: api.clock.now - 3 * HOUR, endAt: api.clock.now - 2 * HOUR, componentIds: [ids[1] ?? 0] });
  }
  const long = await createEvent(api.store, { type: 'incident', title: 'Object storage answers slowly. '.repeat(60), impact: 1, startAt: api.clock.now - 2 * HOUR, componentIds: ids.slice(0, 20) });
  return { api, ids, long };
}

const get = (api: TestApp, url: string, encoding?: string, more: Record<string, string> = {}) =>
  api.app.inject({ method: 'GET', url, headers: { ...(encoding === undefined ? {} : { 'accept-encoding': encoding }), ...more } });

const COMPRESSED_READS = (long: number) => [
  '/api/v2/components',
  '/api/v2/events',
  '/api/v2/events?page=1&limit=10',
  '/api/v2/events?type=incident&active=true',
  '/api/v2/incidents',
  '/api/v2/incidents?type=incident',
  `/api/v2/events/${long}`,
  '/api/v1/component_status?name=Service',
  '/api/v1/component_status?name=Service%201&attribute_name=region&attribute_value=EU-NL',
];
/** The same answers at other addresses: they share the kept bytes of those above. */
const ALIASES = (long: number) => ['/v2/components', `/api/v2/incidents/${long}`, `/v2/events/${long}`];

describe('eventQueryKey', () => {
  const key = (query: Record<string, string>, paginated = true) => eventQueryKey(parseEventQuery(query, paginated), paginated);

  it('spells a query one way: lists as sets, the defaults as given', () => {
    assert.equal(key({ type: 'incident,maintenance', components: '2,1' }), key({ type: 'maintenance,incident,incident', components: '1,2,2' }));
    assert.equal(key({}), key({ page: '1', limit: '50' }));
    assert.equal(key({ status: 'analysing' }), key({ status: 'analyzing' }));
    assert.notEqual(key({ page: '2' }), key({}));
    assert.notEqual(key({ system: 'false' }), key({}));
    assert.equal(key({ page: '2' }, false), key({}, false), 'the deprecated list has no pages');
  });
});

describeEachDatabase('compressed API reads', () => {
  it('sends each read in br, gzip and identity, the same bytes decoded, with Vary and a tag per encoding, and 304s per encoding', async (t) => {
    const { api, long } = await withHistory(t);
    for (const url of [...COMPRESSED_READS(long), ...ALIASES(long), '/api/v2/components/1', '/api/v2/events/1']) {
      const identity = await get(api, url);
      assert.equal(identity.statusCode, 200, url);
      assert.match(String(identity.headers.vary), /Accept-Encoding/, url);
      assert.ok(identity.headers.etag, `${url} has a tag`);
      assert.equal((await get(api, url, undefined, { 'if-none-match': String(identity.headers.etag) })).statusCode, 304, url);
      const small = identity.rawPayload.length < 1024;
      const tags = new Set<unknown>([identity.headers.etag]);
      for (const [coding, header] of [['br', 'gzip, deflate, br'], ['gzip', 'gzip']] as const) {
        const response = await get(api, url, header);
        assert.equal(response.statusCode, 200, url);
        assert.equal(response.headers['content-encoding'], small ? undefined : coding, url);
        assert.match(String(response.headers.vary), /Accept-Encoding/, url);
        assert.deepEqual(decoded(response), identity.rawPayload, `${url} in ${coding}`);
        assert.equal(response.headers['content-type'], 'application/json; charset=utf-8', url);
        tags.add(response.headers.etag);
        assert.equal((await get(api, url, header, { 'if-none-match': String(response.headers.etag) })).statusCode, 304, `${url} in ${coding}`);
        const head = await api.app.inject({ method: 'HEAD', url, headers: { 'accept-encoding': header } });
        assert.deepEqual([head.statusCode, head.headers.etag, head.headers['content-encoding']], [200, response.headers.etag, response.headers['content-encoding']], `HEAD ${url}`);
      }
      assert.equal(tags.size, small ? 1 : 3, `${url}: one tag per encoding sent`);
    }
  });

  it('compresses each once per state of the data, and a change gives new bytes', async (t) => {
    const { api, long } = await withHistory(t);
    const compressions = countCompressions(t);
    const before = new Map<string, string>();
    for (const url of COMPRESSED_READS(long)) {
      const counted = compressions();
      const first = await get(api, url, 'br');
      const second = await get(api, url, 'br');
      assert.equal(compressions() - counted, 1, `${url}: one compression for two reads`);
      assert.deepEqual(second.rawPayload, first.rawPayload, url);
      before.set(url, String(first.headers.etag));
    }
    const counted = compressions();
    for (const url of ALIASES(long)) assert.equal((await get(api, url, 'br')).headers['content-encoding'], 'br', url);
    assert.equal(compressions(), counted, 'another address of the same answer sends the same compressed bytes');
    // Service 1 (EU-NL) goes down: in every list, in the lookup, and the long event gains nothing but a new version.
    const opened = await api.postStatus({ name: 'Service 1', impact: 3, text: 'Service 1 is down', attributes: [{ name: 'region', value: 'EU-NL' }] });
    assert.equal(opened.statusCode, 201, opened.body);
    for (const url of COMPRESSED_READS(long).filter((url) => !/components$|\/\d+$/.test(url))) {
      const counted = compressions();
      const changed = await get(api, url, 'br');
      assert.equal(compressions() - counted, 1, `${url}: the new state is compressed once`);
      assert.notEqual(changed.headers.etag, before.get(url), url);
      assert.match(decoded(changed).toString(), /Service 1 is down/, url);
    }
    const attrs = [{ name: 'type', value: 'dns' }, { name: 'region', value: 'EU-DE' }, { name: 'category', value: 'Network' }];
    const added = await api.app.inject({ method: 'POST', url: '/api/v2/components', headers: { authorization: api.auth }, payload: { name: 'Domain Name Service', attrs } });
    assert.equal(added.statusCode, 201, added.body);
    const components = await get(api, '/api/v2/components', 'br');
    assert.notEqual(components.headers.etag, before.get('/api/v2/components'));
    assert.match(decoded(components).toString(), /Domain Name Service/);
  });

  it('builds a caller with a role their answer per request: private, not kept, not compressed', async (t) => {
    const { api, long } = await withHistory(t);
    for (const url of ['/api/v2/events', '/api/v2/events?type=incident', '/api/v2/incidents?type=incident', `/api/v2/events/${long}`]) {
      const publicAnswer = await get(api, url, 'br');
      const staff = await get(api, url, 'br', { authorization: api.auth });
      assert.equal(staff.statusCode, 200, url);
      assert.equal(staff.headers['cache-control'], 'private, no-store', url);
      assert.equal(staff.headers['content-encoding'], undefined, url);
      assert.equal(staff.headers.etag, undefined, url);
      assert.match(String(staff.headers.vary), /Authorization/, url);
      assert.match(staff.body, /"version":1/, `${url}: the staff view`);
      assert.doesNotMatch(decoded(publicAnswer).toString(), /"version"/, `${url}: the public view`);
      assert.match(String(publicAnswer.headers.vary), /Authorization/, url);
    }
  });

  it('follows the clock: a kept answer changes the moment an event starts or ends, not a minute later', async (t) => {
    const { api, ids } = await withHistory(t);
    const start = api.clock.now + 30_000;
    const id = await createEvent(api.store, { type: 'maintenance', title: 'Firmware', startAt: start, endAt: start + 20_000, componentIds: [ids[2] ?? 0] });
    const statusIn = async (url: string) => {
      const body = (await get(api, url, 'br').then(decoded)).toString();
      const found = (JSON.parse(body) as { data?: { id: number; status: string }[]; id?: number; status?: string });
      return found.data ? found.data.find((event) => event.id === id)?.status : found.status;
    };
    const urls = ['/api/v2/incidents', '/api/v2/events', '/api/v2/events?type=maintenance', `/api/v2/events/${id}`, '/api/v2/events?active=true'];
    for (const url of urls.slice(0, 4)) assert.equal(await statusIn(url), 'planned', url);
    assert.equal(await statusIn('/api/v2/events?active=true'), undefined);
    api.clock.advance(30_000);
    for (const url of urls) assert.equal(await statusIn(url), 'in progress', url);
    api.clock.advance(20_000);
    for (const url of urls.slice(0, 4)) assert.equal(await statusIn(url), 'completed', url);
    assert.equal(await statusIn('/api/v2/events?active=true'), undefined);
  });

  it(`keeps at most ${KEPT.keys} queries per version; beyond them answers are built per request, uncompressed, the same bytes`, async (t) => {
    const { api } = await withHistory(t);
    // Distinct queries with the same large answer: every event started after 2020.
    const since = (ms: number) => `/api/v2/events?start_date=${new Date(Date.parse('2020-01-01T00:00:00Z') + ms).toISOString()}`;
    for (let ms = 0; ms < KEPT.keys - 1; ms += 1) assert.equal((await get(api, since(ms), 'br')).headers['content-encoding'], 'br', since(ms));
    const kept = await get(api, '/api/v2/events?type=incident,info', 'br');
    assert.equal(kept.headers['content-encoding'], 'br', 'the last slot');
    const sameQuery = await get(api, '/api/v2/events?type=info,incident,info', 'br');
    assert.equal(sameQuery.headers['content-encoding'], 'br', 'the same query spelt another way has its slot');
    assert.equal(sameQuery.headers.etag, kept.headers.etag);

    const keptAnswer = decoded(await get(api, since(0), 'br'));
    const beyond = await get(api, since(KEPT.keys), 'br');
    assert.equal(beyond.statusCode, 200);
    assert.equal(beyond.headers['content-encoding'], undefined, 'built for its request');
    assert.equal(beyond.headers.etag, undefined);
    assert.deepEqual(beyond.rawPayload, keptAnswer, 'the bytes a kept answer has');
    assert.equal((await get(api, since(KEPT.keys), 'br')).headers['content-encoding'], undefined, 'and again, as nothing kept it');
    assert.equal((await get(api, since(1), 'br')).headers['content-encoding'], 'br', 'the kept ones stay kept');
    assert.equal((await get(api, '/api/v1/component_status?name=Service', 'br')).headers['content-encoding'], 'br', 'another route has slots of its own');

    await api.postStatus({ name: 'Service 3', impact: 3, attributes: [{ name: 'region', value: 'EU-NL' }] });
    assert.equal((await get(api, since(KEPT.keys), 'br')).headers['content-encoding'], 'br', 'a new version starts with free slots');
  });
});
