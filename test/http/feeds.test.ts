// Feeds: the reference's /rss/ (reference v1 §5, its tests §8.3) and RSS, Atom and JSON Feed for
// any filter of region, category and component.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { buildTestApp } from '../helpers/app.js';
import { DAY } from '../helpers/clock.js';
import { describeEachDatabase } from '../helpers/database.js';
import { createComponents, createEvent } from '../helpers/factories.js';

/** F-RSS: Component1 in Region1 and Component2 in Region2, each with a closed incident. */
async function fixture(t: Parameters<typeof buildTestApp>[0]) {
  const api = await buildTestApp(t);
  const [component1, component2] = await createComponents(api.store, [
    ['Component1', { region: 'Region1', category: 'Compute' }],
    ['Component2', { region: 'Region2', category: 'Storage' }],
  ]);
  const now = api.clock.now;
  const inc = await createEvent(api.store, { title: 'inc', impact: 1, startAt: now - 2 * DAY, endAt: now - DAY, componentIds: [component1?.id ?? 0] });
  const inc2 = await createEvent(api.store, { title: 'inc2', impact: 2, startAt: now - 3 * DAY, endAt: now - 2 * DAY, componentIds: [component2?.id ?? 0] });
  return { api, inc, inc2 };
}

const get = (api: Awaited<ReturnType<typeof buildTestApp>>, url: string) => api.app.inject({ method: 'GET', url });

function parseXml(text: string): Record<string, unknown> {
  assert.equal(XMLValidator.validate(text), true, 'well-formed XML');
  return new XMLParser({ ignoreAttributes: false }).parse(text) as Record<string, unknown>;
}

describeEachDatabase('reference v1 §8.3 RSS', () => {
  it('20. serves a component’s feed with its incidents only', async (t) => {
    const { api } = await fixture(t);
    const response = await get(api, '/rss/?mt=Region1&srv=Component1');
    assert.equal(response.statusCode, 200);
    assert.match(response.headers['content-type'] as string, /^application\/rss\+xml/);
    assert.ok(response.body.includes('Component1 (Region1) - Incidents'));
    assert.ok(response.body.includes('Incident impact: minor'));
    assert.ok(!response.body.includes('Component2'));
    assert.ok(!response.body.includes('Incident impact: major'));
    parseXml(response.body);
  });

  it('21. answers 404 for an unknown component', async (t) => {
    const { api } = await fixture(t);
    const response = await get(api, '/rss/?mt=Region11&srv=Component11');
    assert.equal(response.statusCode, 404);
    assert.ok(response.body.includes('Component: Component11 is not found'));
  });

  it('22. serves a region’s feed', async (t) => {
    const { api } = await fixture(t);
    const response = await get(api, '/rss/?mt=Region1');
    assert.equal(response.statusCode, 200);
    assert.ok(response.body.includes('Region1 - Incidents'));
  });

  it('23. answers 404 for an unknown region', async (t) => {
    const { api } = await fixture(t);
    const response = await get(api, '/rss/?mt=Region12');
    assert.equal(response.statusCode, 404);
    assert.ok(response.body.includes('Region12 is not a supported region'));
  });

  it('explains the parameters when mt is missing, and redirects /rss to /rss/', async (t) => {
    const { api } = await fixture(t);
    const missing = await get(api, '/rss/?srv=Component1');
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.body, 'Status Dashboard RSS feed\nPlease read the documentation to\nmake the correct request');
    const redirect = await get(api, '/rss?mt=Region1');
    assert.equal(redirect.statusCode, 308);
    assert.equal(redirect.headers.location, '/rss/?mt=Region1');
  });

  it('escapes the names it echoes once, not twice (reference bug B8)', async (t) => {
    const { api } = await fixture(t);
    const response = await get(api, `/rss/?mt=Region1&srv=${encodeURIComponent('<b>x</b>')}`);
    assert.equal(response.body, 'Component: &lt;b&gt;x&lt;/b&gt; is not found');
    const region = await get(api, `/rss/?mt=${encodeURIComponent('<script>')}`);
    assert.equal(region.body, '&lt;script&gt; is not a supported region');
  });

  it('lists the newest events first, by start date', async (t) => {
    const { api, inc } = await fixture(t);
    const newer = await createEvent(api.store, { title: 'newer', impact: 3, startAt: api.clock.now - DAY / 2, componentIds: [1] });
    const body = parseXml((await get(api, '/rss/?mt=Region1&srv=Component1')).body) as { rss: { channel: { item: { title: string }[] } } };
    assert.deepEqual(body.rss.channel.item.map((item) => item.title), ['newer', 'inc']);
    assert.ok(newer > inc);
  });
});

describeEachDatabase('feeds by region, category and component', () => {
  it('serves Atom with unique, stable entry ids and the filter in its title', async (t) => {
    const { api, inc } = await fixture(t);
    const first = await get(api, '/feeds/atom.xml?region=Region1');
    assert.equal(first.statusCode, 200);
    assert.match(first.headers['content-type'] as string, /^application\/atom\+xml/);
    const atom = parseXml(first.body) as { feed: { title: string; id: string; updated: string; entry: { id: string; title: string; updated: string } | { id: string }[] } };
    assert.equal(atom.feed.title, 'Region1 - Incidents | Status Dashboard');
    const entries = [atom.feed.entry].flat() as { id: string; title: string }[];
    assert.deepEqual(entries.map((entry) => entry.id), [`http://localhost/incidents/${inc}`]);
    assert.ok(atom.feed.updated);
    const again = parseXml((await get(api, '/feeds/atom.xml?region=Region1')).body) as typeof atom;
    assert.deepEqual([again.feed.entry].flat(), [atom.feed.entry].flat());
  });

  it('serves JSON Feed with every event when no filter is given', async (t) => {
    const { api, inc, inc2 } = await fixture(t);
    const response = await get(api, '/feeds/feed.json');
    assert.equal(response.statusCode, 200);
    const feed = response.json<{ version: string; title: string; items: { id: string; title: string; content_html?: string; summary?: string }[] }>();
    assert.equal(feed.version, 'https://jsonfeed.org/version/1');
    assert.deepEqual(feed.items.map((item) => item.id), [`http://localhost/incidents/${inc}`, `http://localhost/incidents/${inc2}`]);
  });

  it('combines filters and answers 404 JSON when no component matches', async (t) => {
    const { api } = await fixture(t);
    const both = await get(api, '/feeds/rss.xml?region=Region2&category=Storage');
    assert.equal(both.statusCode, 200);
    assert.ok(both.body.includes('inc2'));
    const none = await get(api, '/feeds/rss.xml?region=Region1&category=Storage');
    assert.equal(none.statusCode, 404);
    assert.deepEqual(none.json(), { code: 404, message: 'No component matches this region, category and component', status: 'Not Found' });
  });

  it('uses SD_PUBLIC_URL in links when it is set', async (t) => {
    const api = await buildTestApp(t, { publicUrl: 'https://status.example.org/' });
    await createComponents(api.store, { A: { region: 'R' } });
    const feed = (await get(api, '/feeds/feed.json')).json<{ home_page_url: string; feed_url: string }>();
    assert.equal(feed.home_page_url, 'https://status.example.org/');
    assert.equal(feed.feed_url, 'https://status.example.org/feeds/feed.json');
  });

  it('shows a posted incident at once, with titles and texts escaped and the generated links kept', async (t) => {
    const { api } = await fixture(t);
    await get(api, '/feeds/rss.xml?component=Component1');
    const opened = await api.postStatus({ name: 'Component1', impact: 1, text: '<script>alert(1)</script>', attributes: [{ name: 'region', value: 'Region1' }] });
    assert.equal(opened.statusCode, 201);
    await createComponents(api.store, { Component3: { region: 'Region1', category: 'Compute' } });
    await api.postStatus({ name: 'Component3', impact: 2, attributes: [{ name: 'region', value: 'Region1' }] });
    await api.postStatus({ name: 'Component1', impact: 2, attributes: [{ name: 'region', value: 'Region1' }] });
    for (const url of ['/feeds/rss.xml?region=Region1', '/feeds/atom.xml?region=Region1']) {
      const response = await get(api, url);
      // Text may sit in CDATA sections; outside them, no markup of the user's gets through.
      assert.ok(!response.body.replace(/<!\[CDATA\[[\s\S]*?\]\]>/g, '').includes('<script>'), `${url} carries no raw markup`);
      assert.ok(!/<description><!\[CDATA\[[^\]]*<script>/.test(response.body), 'HTML bodies escape the title');
      const parsed = JSON.stringify(parseXml(response.body));
      assert.ok(parsed.includes('<script>alert(1)</script>'), 'the title reads as the text it is');
      assert.ok(parsed.includes("moved to <a href='/incidents/"), 'generated links survive as HTML');
    }
  });
});

describeEachDatabase('feed links and the Host header', () => {
  it('builds links from each request’s own host and never hands one client’s host to another', async (t) => {
    const { api } = await fixture(t);
    const evil = await api.app.inject({ method: 'GET', url: '/feeds/feed.json', headers: { host: 'evil.example' } });
    assert.equal(evil.json<{ home_page_url: string }>().home_page_url, 'http://evil.example/');
    const honest = await get(api, '/feeds/feed.json');
    assert.equal(honest.json<{ home_page_url: string }>().home_page_url, 'http://localhost/');
  });
});
