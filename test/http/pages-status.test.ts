// The front page and the incident page (spec §4, reference v1 §4.2–§4.3 and the §8.4 cases).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { DAY, HOUR } from '../helpers/clock.js';
import { describeEachDatabase } from '../helpers/database.js';
import { createComponents, createEvent, createReferenceComponents } from '../helpers/factories.js';
import { text } from '../helpers/pages.js';

const XSS = `<img src=x onerror="alert(1)">`;

async function page(api: TestApp, url: string, headers: Record<string, string> = {}) {
  const response = await api.app.inject({ method: 'GET', url, headers: { accept: 'text/html', ...headers } });
  return response;
}

/** The part of the page between two markers (a region's cards, say). */
function between(html: string, start: string, end: string): string {
  const from = html.indexOf(start);
  assert.ok(from >= 0, `missing ${start}`);
  const to = html.indexOf(end, from);
  return html.slice(from, to < 0 ? undefined : to);
}

async function cloud(t: Parameters<typeof buildTestApp>[0]) {
  const api = await buildTestApp(t);
  const [ecsDe, obsDe, ecsNl] = await createComponents(api.store, [
    ['Elastic Cloud Server', { region: 'EU-DE', category: 'Compute', type: 'ecs' }],
    ['Object Storage Service', { region: 'EU-DE', category: 'Storage', type: 'obs' }],
    ['Elastic Cloud Server', { region: 'EU-NL', category: 'Compute', type: 'ecs' }],
  ]);
  return { api, ecsDe: ecsDe?.id ?? 0, obsDe: obsDe?.id ?? 0, ecsNl: ecsNl?.id ?? 0 };
}

function openV2(api: TestApp, body: Record<string, unknown>) {
  return api.app.inject({
    method: 'POST',
    url: '/v2/events',
    headers: { authorization: api.auth },
    payload: { impact: 1, type: 'incident', start_date: new Date(api.clock.now - HOUR).toISOString(), ...body },
  });
}

describeEachDatabase(`the reference's web cases (§8.4)`, () => {
  it('serves / and the incident page of a closed incident with components without regions', async (t) => {
    const api = await buildTestApp(t);
    const { cmp1 } = await createReferenceComponents(api.store);
    const id = await createEvent(api.store, { title: 'inc', impact: 1, startAt: api.clock.now - 2 * DAY, endAt: api.clock.now - DAY, componentIds: [cmp1.id] });
    const front = await page(api, '/');
    assert.equal(front.statusCode, 200);
    assert.match(front.headers['content-type'] as string, /^text\/html/);
    assert.match(text(front.body), /All systems operational/);
    assert.match(text(front.body), /No components with a region and a category yet/);
    assert.equal((await page(api, '/index')).body, front.body, '/index is the same page');
    const incident = await page(api, `/incidents/${id}`);
    assert.equal(incident.statusCode, 200);
    assert.match(text(incident.body), /Incident #\d+ inc/);
    assert.match(text(incident.body), /This incident has been resolved\./);
  });
});

describeEachDatabase('the front page', () => {
  it('shows a posted status in its region and category, and the other region operational', async (t) => {
    const { api } = await cloud(t);
    const posted = await api.postStatus({ name: 'Object Storage Service', impact: 3, text: 'ignored', attributes: [{ name: 'region', value: 'EU-DE' }] });
    assert.equal(posted.statusCode, 201);
    const front = await page(api, '/');
    const seen = text(front.body);
    assert.match(seen, /Outage in EU-DE \(1 active incident\)/, 'the headline names the region');
    assert.match(seen, /Active incidents .*Impact Service outage .*Region EU-DE Services Object Storage Service/);
    // Without a choice the worst-hit region's tab is open.
    assert.match(front.body, /<a href="\/\?region=EU-DE" aria-current="page">/);
    const storage = between(front.body, '>Storage</h3>', '</section>');
    assert.match(text(storage), /Object Storage Service Outage/);
    assert.match(storage, /href="\/incidents\/\d+"/, 'the state links to its incident');
    assert.match(text(between(front.body, '>Compute</h3>', '</section>')), /Elastic Cloud Server Operational/);

    const nl = await page(api, '/?region=EU-NL');
    assert.match(nl.body, /<a href="\/\?region=EU-NL" aria-current="page">/);
    assert.match(text(between(nl.body, 'id="region-panel"', 'class="legend"')), /Compute Elastic Cloud Server Operational/);
    assert.doesNotMatch(text(between(nl.body, 'id="region-panel"', 'class="legend"')), /Outage/);
    assert.match(nl.body, /rel="alternate" type="application\/atom\+xml"[^>]*href="\/feeds\/atom.xml\?region=EU-NL"/);
  });

  it('shows maintenance in progress, planned maintenance, and follows the clock without a write', async (t) => {
    const { api, ecsDe, ecsNl } = await cloud(t);
    const now = api.clock.now;
    await createEvent(api.store, { type: 'maintenance', title: 'Kernel upgrade', startAt: now - HOUR, endAt: now + HOUR, componentIds: [ecsDe] });
    await createEvent(api.store, { type: 'maintenance', title: 'Network change', startAt: now + 2 * HOUR, endAt: now + 3 * HOUR, componentIds: [ecsNl] });
    let seen = text((await page(api, '/')).body);
    assert.match(seen, /All systems operational; maintenance in EU-DE/);
    assert.match(seen, /Maintenance in progress and notices Kernel upgrade/);
    assert.match(seen, /Planned Network change ?: 2026-03-10 14:00 UTC to 2026-03-10 15:00 UTC/);
    assert.match((await page(api, '/?region=EU-NL')).body, /Planned maintenance: Network change/);

    api.clock.advance(2 * HOUR + 1);
    seen = text((await page(api, '/')).body);
    assert.doesNotMatch(seen, /Kernel upgrade/, 'the ended window leaves the page');
    assert.match(seen, /Maintenance in progress and notices Network change/);
    assert.match(text((await page(api, '/?region=EU-NL')).body), /Elastic Cloud Server Maintenance/);
  });

  it('answers a repeated request with 304 until the state changes', async (t) => {
    const { api } = await cloud(t);
    const first = await page(api, '/');
    const etag = first.headers.etag as string;
    assert.ok(etag);
    assert.equal(first.headers['cache-control'], 'public, max-age=0, s-maxage=5, stale-if-error=86400');
    assert.match(first.headers['content-security-policy'] as string, /script-src 'self'/);
    assert.doesNotMatch(first.headers['content-security-policy'] as string, /unsafe-inline/);
    const again = await page(api, '/', { 'if-none-match': etag });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, '');
    await api.postStatus({ name: 'Elastic Cloud Server', impact: 1, text: 'x', attributes: [{ name: 'region', value: 'EU-NL' }] });
    const changed = await page(api, '/', { 'if-none-match': etag });
    assert.equal(changed.statusCode, 200);
    assert.notEqual(changed.headers.etag, etag);
  });

  it('serves its assets under content-hashed names, cached for good', async (t) => {
    const { api } = await cloud(t);
    const html = (await page(api, '/')).body;
    for (const url of [/href="(\/assets\/style\.[0-9a-f]+\.css)"/, /src="(\/assets\/app\.[0-9a-f]+\.js)"/, /src="(\/assets\/logo\.[0-9a-f]+\.svg)"/]) {
      const path = url.exec(html)?.[1];
      assert.ok(path, `${url} in the page`);
      const asset = await api.app.inject({ method: 'GET', url: path });
      assert.equal(asset.statusCode, 200);
      assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
    }
    assert.equal((await api.app.inject({ method: 'GET', url: '/assets/style.css' })).statusCode, 404);
  });
});

describeEachDatabase('the incident page', () => {
  it('shows components, the whole timeline newest first, and links between a moved component’s incidents', async (t) => {
    const { api, ecsDe, ecsNl } = await cloud(t);
    const first = (await openV2(api, { title: 'Compute slow', components: [ecsDe, ecsNl], description: 'Both regions.' })).json<{ result: { incident_id: number }[] }>().result[0]?.incident_id;
    api.clock.advance(60_000);
    const second = (await openV2(api, { title: 'Compute down', impact: 3, components: [ecsDe] })).json<{ result: { incident_id: number }[] }>().result[0]?.incident_id;
    const firstPage = await page(api, `/incidents/${first}`);
    const seen = text(firstPage.body);
    assert.match(seen, /Compute slow/);
    assert.match(seen, /Region EU-NL/, 'the moved component took its region along');
    assert.match(seen, /Affected services Elastic Cloud Server \(Compute, EU-NL\)/);
    assert.match(seen, /Updates SYSTEM · 2026-03-10 12:01 UTC Elastic Cloud Server \(Compute, EU-DE, ecs\) moved to Compute down detected · 2026-03-10 11:00 UTC The incident is detected\./);
    assert.match(firstPage.body, new RegExp(`moved to <a href='/incidents/${second}'>Compute down</a>`));
    assert.match(text((await page(api, `/incidents/${second}`)).body), /moved from Compute slow/);
    assert.match(seen, /Both regions\./);
    assert.match(firstPage.body, /<body data-live="on">/, 'an open incident keeps itself current');
  });

  it('answers an unknown or malformed id with 404: a page for browsers, JSON for others', async (t) => {
    const { api } = await cloud(t);
    for (const id of ['999', 'abc', '1e3', '-1']) {
      const html = await page(api, `/incidents/${id}`);
      assert.equal(html.statusCode, 404, id);
      assert.match(html.headers['content-type'] as string, /^text\/html/);
      assert.match(text(html.body), /There is no incident, maintenance or notice with the number/);
      const json = await api.app.inject({ method: 'GET', url: `/incidents/${id}` });
      assert.equal(json.statusCode, 404);
      assert.deepEqual(json.json(), { code: 404, status: 'Not Found' });
    }
    const xss = await page(api, `/incidents/${encodeURIComponent('<b>x</b>')}`);
    assert.equal(xss.statusCode, 404);
    assert.doesNotMatch(xss.body, /<b>x<\/b>/);
  });
});

describeEachDatabase('user text on the pages', () => {
  it('renders titles, descriptions, update texts, component names and attributes as text', async (t) => {
    const api = await buildTestApp(t);
    const [component] = await createComponents(api.store, [[`Svc ${XSS}`, { region: `R ${XSS}`, category: `C ${XSS}` }]]);
    const opened = await openV2(api, { title: `T ${XSS}`, description: `D ${XSS}`, components: [component?.id] });
    assert.equal(opened.statusCode, 200, opened.body);
    const id = opened.json<{ result: { incident_id: number }[] }>().result[0]?.incident_id;
    const patched = await api.app.inject({
      method: 'PATCH',
      url: `/v2/events/${id}`,
      headers: { authorization: api.auth },
      payload: { status: 'analysing', message: `U ${XSS} <a href='/incidents/1'>x</a>`, update_date: new Date(api.clock.now).toISOString() },
    });
    assert.equal(patched.statusCode, 200, patched.body);
    for (const url of ['/', `/incidents/${id}`]) {
      const html = (await page(api, url)).body;
      assert.doesNotMatch(html, /<img src=x/, `${url} has no live payload`);
      assert.doesNotMatch(html, /<a href='\/incidents\/1'>/, `${url}: a person's text is never HTML`);
      assert.match(html, /&lt;img src=x onerror=(&quot;|")alert\(1\)(&quot;|")>/, `${url} shows the payload as text`);
    }
  });
});

describeEachDatabase('branding', () => {
  it('uses the configured title and logo', async (t) => {
    const { buildApp } = await import('../../src/http/app.js');
    const { ReadModel } = await import('../../src/read-model/read-model.js');
    const { createTestDatabase } = await import('../helpers/database.js');
    const { store } = await createTestDatabase(t);
    const logo = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>');
    const app = await buildApp({
      store,
      readModel: new ReadModel(store),
      clock: () => Date.parse('2026-03-10T12:00:00Z'),
      apiTokens: { secretKey: 'k', payloadKey: 'p' },
      logLevel: 'silent',
      site: { title: `Acme <Cloud>`, logo: { bytes: logo, type: 'image/svg+xml' } },
    });
    t.after(() => app.close());
    const html = (await app.inject({ method: 'GET', url: '/' })).body;
    assert.match(html, /<title>Acme &lt;Cloud><\/title>/);
    const src = /<img src="(\/assets\/logo\.[0-9a-f]+\.svg)"/.exec(html)?.[1];
    assert.ok(src);
    const served = await app.inject({ method: 'GET', url: src });
    assert.equal(served.body, logo.toString());
    assert.equal(served.headers['content-type'], 'image/svg+xml');
  });
});
