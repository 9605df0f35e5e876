// SVG status badges: the cloud, a region, one component by id or by region and name.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { buildTestApp } from '../helpers/app.js';
import { HOUR } from '../helpers/clock.js';
import { describeEachDatabase } from '../helpers/database.js';
import { createComponents, createEvent } from '../helpers/factories.js';

type Api = Awaited<ReturnType<typeof buildTestApp>>;

async function fixture(t: Parameters<typeof buildTestApp>[0]) {
  const api = await buildTestApp(t);
  const [ecsDe, obsDe, ecsNl, dns] = await createComponents(api.store, [
    ['Elastic Cloud Server', { region: 'EU-DE', category: 'Compute' }],
    ['Object Storage', { region: 'EU-DE', category: 'Storage' }],
    ['Elastic Cloud Server', { region: 'EU-NL', category: 'Compute' }],
    ['Global DNS', { category: 'Network' }],
  ]);
  if (!ecsDe || !obsDe || !ecsNl || !dns) throw new Error('components not created');
  return { api, ecsDe, obsDe, ecsNl, dns };
}

const get = (api: Api, url: string, headers: Record<string, string> = {}) => api.app.inject({ method: 'GET', url, headers });

/** The badge's accessible text, "label: message", after checking it is an SVG image and well-formed XML. */
async function badge(api: Api, url: string): Promise<string> {
  const response = await get(api, url);
  assert.equal(response.statusCode, 200, `${url}: ${response.body}`);
  assert.equal(response.headers['content-type'], 'image/svg+xml; charset=utf-8');
  assert.equal(XMLValidator.validate(response.body), true, `${url} is well-formed XML`);
  const parsed = new XMLParser({ ignoreAttributes: false, htmlEntities: true }).parse(response.body) as { svg: { title: string; '@_aria-label': string; '@_role': string } };
  assert.equal(parsed.svg['@_role'], 'img');
  assert.equal(parsed.svg.title, parsed.svg['@_aria-label']);
  return parsed.svg['@_aria-label'];
}

const report = (name: string, region: string, impact: number) => ({ name, impact, attributes: [{ name: 'region', value: region }] });

describeEachDatabase('status badges', () => {
  it('shows everything operational, with image headers', async (t) => {
    const { api, ecsDe, dns } = await fixture(t);
    assert.equal(await badge(api, '/badge.svg'), 'Status Dashboard: Operational');
    assert.equal(await badge(api, '/badge/region/EU-DE.svg'), 'EU-DE: Operational');
    assert.equal(await badge(api, `/badge/component/${ecsDe.id}.svg`), 'Elastic Cloud Server (EU-DE): Operational');
    assert.equal(await badge(api, `/badge/component/${dns.id}.svg`), 'Global DNS: Operational');
    assert.equal(await badge(api, '/badge/component/EU-NL/Elastic%20Cloud%20Server.svg'), 'Elastic Cloud Server (EU-NL): Operational');
    const response = await get(api, '/badge.svg');
    assert.equal(response.headers['cache-control'], 'public, max-age=0, s-maxage=5, stale-if-error=86400');
    assert.equal(response.headers['x-content-type-options'], 'nosniff');
    assert.equal(response.headers['content-security-policy'], "default-src 'none'");
    assert.equal(response.headers['access-control-allow-origin'], undefined);
    assert.match(response.headers.etag as string, /^"[\w-]{22}"$/);
    const head = await api.app.inject({ method: 'HEAD', url: '/badge/region/EU-DE.svg' });
    assert.equal(head.statusCode, 200);
    assert.equal(head.headers['content-type'], 'image/svg+xml; charset=utf-8');
    assert.equal(head.body, '');
  });

  it('follows posted statuses: the region and component hit, another region operational, the cloud the worst', async (t) => {
    const { api, ecsDe, obsDe, ecsNl } = await fixture(t);
    await badge(api, '/badge.svg'); // cached renderings must not outlive the write
    assert.equal((await api.postStatus(report('Elastic Cloud Server', 'EU-DE', 3))).statusCode, 201);
    assert.equal(await badge(api, '/badge/region/EU-DE.svg'), 'EU-DE: Outage');
    assert.equal(await badge(api, `/badge/component/${ecsDe.id}.svg`), 'Elastic Cloud Server (EU-DE): Outage');
    assert.equal(await badge(api, '/badge/component/EU-DE/Elastic%20Cloud%20Server.svg'), 'Elastic Cloud Server (EU-DE): Outage');
    assert.equal(await badge(api, `/badge/component/${obsDe.id}.svg`), 'Object Storage (EU-DE): Operational');
    assert.equal(await badge(api, '/badge/region/EU-NL.svg'), 'EU-NL: Operational');
    assert.equal(await badge(api, `/badge/component/${ecsNl.id}.svg`), 'Elastic Cloud Server (EU-NL): Operational');
    assert.equal(await badge(api, '/badge.svg'), 'Status Dashboard: Outage');

    assert.equal((await api.postStatus(report('Elastic Cloud Server', 'EU-NL', 1))).statusCode, 201);
    assert.equal(await badge(api, '/badge/region/EU-NL.svg'), 'EU-NL: Minor issue');
    assert.equal(await badge(api, '/badge/component/EU-NL/Elastic%20Cloud%20Server.svg'), 'Elastic Cloud Server (EU-NL): Minor issue');
    assert.equal(await badge(api, '/badge.svg'), 'Status Dashboard: Outage', 'the worst state wins');
  });

  it('changes by itself when a planned maintenance starts', async (t) => {
    const { api, obsDe } = await fixture(t);
    const now = api.clock.now;
    await createEvent(api.store, { type: 'maintenance', startAt: now + HOUR, endAt: now + 2 * HOUR, componentIds: [obsDe.id] });
    assert.equal(await badge(api, `/badge/component/${obsDe.id}.svg`), 'Object Storage (EU-DE): Operational');
    api.clock.advance(HOUR);
    assert.equal(await badge(api, `/badge/component/${obsDe.id}.svg`), 'Object Storage (EU-DE): Maintenance');
    assert.equal(await badge(api, '/badge/region/EU-DE.svg'), 'EU-DE: Maintenance');
    api.clock.advance(HOUR);
    assert.equal(await badge(api, `/badge/component/${obsDe.id}.svg`), 'Object Storage (EU-DE): Operational');
  });

  it('takes another label from ?label=, up to 60 characters', async (t) => {
    const { api, ecsDe } = await fixture(t);
    assert.equal(await badge(api, '/badge.svg?label=Cloud'), 'Cloud: Operational');
    assert.equal(await badge(api, '/badge/region/EU-DE.svg?label=Germany'), 'Germany: Operational');
    assert.equal(await badge(api, `/badge/component/${ecsDe.id}.svg?label=${encodeURIComponent('ECS <DE> & "co"')}`), 'ECS <DE> & "co": Operational');
    assert.equal(await badge(api, '/badge.svg'), 'Status Dashboard: Operational', 'the default label is unchanged');
    assert.equal((await get(api, `/badge.svg?label=${'x'.repeat(60)}`)).statusCode, 200);
    assert.equal((await get(api, `/badge.svg?label=${'x'.repeat(61)}`)).statusCode, 422, 'refused as any invalid query is');
  });

  it('answers 404 with the JSON envelope for what does not exist', async (t) => {
    const { api } = await fixture(t);
    const cases: [string, string][] = [
      ['/badge/region/EU-XX.svg', 'No region EU-XX'],
      ['/badge/region/.svg', 'No region '],
      ['/badge/component/999.svg', 'No component 999'],
      ['/badge/component/abc.svg', 'No component abc'],
      ['/badge/component/1e3.svg', 'No component 1e3'],
      ['/badge/component/99999999999999999999.svg', 'No component 99999999999999999999'],
      ['/badge/component/EU-DE/Nothing.svg', 'No component Nothing in EU-DE'],
      ['/badge/component/EU-XX/Elastic%20Cloud%20Server.svg', 'No component Elastic Cloud Server in EU-XX'],
    ];
    for (const [url, message] of cases) {
      const response = await get(api, url);
      assert.equal(response.statusCode, 404, url);
      assert.match(response.headers['content-type'] as string, /^application\/json/, url);
      assert.deepEqual(response.json(), { code: 404, message, status: 'Not Found' }, url);
    }
  });

  it('answers 304 to a matching If-None-Match, and a new tag after a change', async (t) => {
    const { api, ecsDe } = await fixture(t);
    const url = `/badge/component/${ecsDe.id}.svg`;
    const first = await get(api, url);
    const etag = first.headers.etag as string;
    const again = await get(api, url, { 'if-none-match': etag });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, '');
    assert.equal(again.headers.etag, etag);
    assert.equal((await get(api, url, { 'if-none-match': `"other", W/${etag}` })).statusCode, 304);
    assert.equal((await get(api, url, { 'if-none-match': '"other"' })).statusCode, 200);
    const relabelled = await get(api, `${url}?label=ECS`);
    assert.notEqual(relabelled.headers.etag, etag);

    await api.postStatus(report('Elastic Cloud Server', 'EU-DE', 2));
    const changed = await get(api, url, { 'if-none-match': etag });
    assert.equal(changed.statusCode, 200);
    assert.notEqual(changed.headers.etag, etag);
    assert.ok(changed.body.includes('Major issue'));
  });

  it('escapes a component name with markup', async (t) => {
    const { api } = await fixture(t);
    const [evil] = await createComponents(api.store, [['<script>&"', { region: 'EU-DE', category: 'Compute' }]]);
    assert.ok(evil);
    for (const url of [`/badge/component/${evil.id}.svg`, `/badge/component/EU-DE/${encodeURIComponent('<script>&"')}.svg`]) {
      const response = await get(api, url);
      assert.equal(response.statusCode, 200, url);
      assert.ok(!response.body.includes('<script>'), url);
      assert.ok(response.body.includes('&lt;script&gt;&amp;&quot; (EU-DE)'), url);
      assert.equal(await badge(api, url), '<script>&" (EU-DE): Operational');
    }
  });

  it('is documented in the OpenAPI document under the badges tag', async (t) => {
    const api = await buildTestApp(t);
    const document = (await get(api, '/api/openapi.json')).json<{ paths: Record<string, { get?: { tags?: string[] } }>; tags: { name: string }[] }>();
    for (const path of ['/badge.svg', '/badge/region/{region}.svg', '/badge/component/{id}.svg', '/badge/component/{region}/{name}.svg']) {
      assert.deepEqual(document.paths[path]?.get?.tags, ['badges'], path);
    }
    assert.ok(document.tags.some((tag) => tag.name === 'badges'));
  });
});
