// GET /history: ended events by the month they ended, with filters, pages, feeds and ETags.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { DAY, HOUR, TestClock } from '../helpers/clock.js';
import { describeEachDatabase } from '../helpers/database.js';
import { htmlPage, XSS, XSS_ESCAPED } from '../helpers/pages.js';
import { createComponents, createEvent } from '../helpers/factories.js';

const at = (iso: string) => Date.parse(`${iso}Z`);

const page = htmlPage;

function mainOf(html: string): string {
  return html.slice(html.indexOf('<main'), html.indexOf('</main>'));
}

/** Month headings and, under each, the event ids in page order. */
function groupsOf(html: string): [string, number[]][] {
  const main = mainOf(html);
  return [...main.matchAll(/<h2 id="month-[^"]*">([^<]*)<\/h2>([\s\S]*?)(?=<h2 |<nav |$)/g)].map(([, heading, body]) => [
    heading ?? '',
    [...(body ?? '').matchAll(/<a href="\/incidents\/(\d+)">/g)].map((match) => Number(match[1])),
  ]);
}

const idsOf = (html: string) => groupsOf(html).flatMap(([, ids]) => ids);

async function seed(api: TestApp) {
  const [deCompute, nlCompute, deStorage, nlOdd] = await createComponents(api.store, [
    ['Compute', { region: 'EU-DE', category: 'Compute' }],
    ['Compute', { region: 'EU-NL', category: 'Compute' }],
    ['Storage', { region: 'EU-DE', category: 'Storage' }],
    [XSS, { region: 'EU-NL', category: 'Storage' }],
  ]);
  if (!deCompute || !nlCompute || !deStorage || !nlOdd) throw new Error('components not created');
  const ids = {
    incident: await createEvent(api.store, { title: 'Compute down', impact: 3, startAt: at('2026-02-10T00:00'), endAt: at('2026-02-11T00:00'), componentIds: [deCompute.id] }),
    maintenance: await createEvent(api.store, { type: 'maintenance', title: 'Storage upgrade', startAt: at('2026-02-20T00:00'), endAt: at('2026-02-20T04:00'), componentIds: [deStorage.id] }),
    notice: await createEvent(api.store, { type: 'info', title: 'Notice', startAt: at('2026-01-30T00:00'), endAt: at('2026-02-02T00:00'), componentIds: [nlCompute.id] }),
    march: await createEvent(api.store, { title: 'Slow compute', impact: 1, startAt: at('2026-03-04T00:00'), endAt: at('2026-03-05T00:00'), componentIds: [deCompute.id, nlCompute.id] }),
    xss: await createEvent(api.store, { title: XSS, impact: 2, startAt: at('2026-01-05T00:00'), endAt: at('2026-01-06T00:00'), componentIds: [nlOdd.id] }),
    cancelled: await createEvent(api.store, { type: 'maintenance', status: 'cancelled', title: 'Called off', startAt: at('2026-01-02T00:00'), endAt: at('2026-01-03T00:00'), componentIds: [deStorage.id] }),
    open: await createEvent(api.store, { title: 'Still open', impact: 2, startAt: at('2026-03-09T00:00'), componentIds: [deCompute.id] }),
    endsSoon: await createEvent(api.store, { title: 'Ends soon', impact: 1, startAt: at('2026-03-10T00:00'), endAt: at('2026-03-10T13:00'), componentIds: [deStorage.id] }),
    planned: await createEvent(api.store, { type: 'maintenance', title: 'Planned', startAt: at('2026-03-20T00:00'), endAt: at('2026-03-21T00:00'), componentIds: [deStorage.id] }),
  };
  return ids;
}

describeEachDatabase('GET /history', () => {
  it('says "No incidents yet." when nothing has ended', async (t) => {
    const api = await buildTestApp(t);
    const [component] = await createComponents(api.store, [['Compute', { region: 'EU-DE', category: 'Compute' }]]);
    await createEvent(api.store, { impact: 2, startAt: at('2026-03-09T00:00'), componentIds: [component?.id ?? 0] });
    const html = await page(api, '/history');
    assert.match(html, /<title>Event History \| /);
    assert.match(html, /<a href="\/history" aria-current="page">History<\/a>/);
    assert.match(mainOf(html), /<h1>Event History<\/h1>/);
    assert.match(mainOf(html), /<p class="notice">No incidents yet\.<\/p>/);
    assert.deepEqual(groupsOf(html), []);
  });

  it('groups ended events by the month of their end, newest first, by start within a month', async (t) => {
    const api = await buildTestApp(t, { clock: new TestClock() });
    const ids = await seed(api);
    const html = await page(api, '/history');
    assert.deepEqual(groupsOf(html), [
      ['March 2026', [ids.march]],
      ['February 2026', [ids.maintenance, ids.incident, ids.notice]],
      ['January 2026', [ids.xss, ids.cancelled]],
    ]);
    const main = mainOf(html);
    assert.match(main, /6 events ended so far/);
    assert.ok(!main.includes('Still open') && !main.includes('Ends soon') && !main.includes('>Planned<'), 'open, not yet ended and planned events are left out');

    // One entry: icon, title link, kind, start – end, regions and services, closing words.
    const entry = main.slice(main.indexOf(`<a href="/incidents/${ids.march}">`) - 200, main.indexOf('</li>', main.indexOf(`/incidents/${ids.march}"`)));
    assert.match(entry, /<use href="\\?#i-minor">/);
    assert.match(entry, /Slow compute<\/a>/);
    assert.match(entry, /Incident<\/span> · <time datetime="2026-03-04T00:00:00.000Z">2026-03-04 00:00 UTC<\/time> – <time datetime="2026-03-05T00:00:00.000Z">2026-03-05 00:00 UTC<\/time>/);
    assert.match(entry, /Regions:<\/span> EU-DE, EU-NL/);
    assert.match(entry, /<a href="\/components\/\d+">Compute<\/a> \(EU-DE\), <a href="\/components\/\d+">Compute<\/a> \(EU-NL\)/, 'each service links to its page');
    assert.match(entry, /This incident has been resolved\./);

    const around = (id: number) => main.slice(main.indexOf(`/incidents/${id}"`), main.indexOf('</li>', main.indexOf(`/incidents/${id}"`)));
    assert.match(around(ids.maintenance), /This maintenance has been completed\./);
    assert.match(around(ids.cancelled), /This maintenance was cancelled\./);
    assert.match(around(ids.notice), /This notice has been completed\./);
    assert.match(main.slice(main.indexOf(`/incidents/${ids.notice}"`) - 200), /<use href="\\?#i-planned">/);
    assert.match(main.slice(main.indexOf(`/incidents/${ids.incident}"`) - 200), /<use href="\\?#i-outage">/);
  });

  it('escapes titles and component names', async (t) => {
    const api = await buildTestApp(t);
    await seed(api);
    for (const url of ['/history', `/history?component=${encodeURIComponent(XSS)}`]) {
      const html = await page(api, url);
      assert.ok(!html.includes(XSS), `${url}: no raw tag`);
      assert.ok(mainOf(html).includes(`${XSS_ESCAPED}</a>`), `${url}: the escaped title`);
      assert.match(mainOf(html), new RegExp(`Services:</span> <a href="/components/\\d+">${XSS_ESCAPED.replace(/[()]/g, '\\$&')}</a>`), `${url}: the escaped component name`);
      assert.ok(mainOf(html).includes(`<option value="${XSS_ESCAPED}"`), `${url}: the escaped choice`);
    }
  });

  it('filters by region, category and component, alone and together, through a GET form', async (t) => {
    const api = await buildTestApp(t);
    const ids = await seed(api);
    const form = mainOf(await page(api, '/history'));
    assert.match(form, /<form method="get" action="\/history" class="filters"/);
    assert.match(form, /<label>Region<select name="region"><option value(="")?>All regions<\/option><option value="EU-DE">EU-DE<\/option><option value="EU-NL">EU-NL<\/option><\/select><\/label>/);
    assert.match(form, /<select name="category"><option value(="")?>All categories<\/option><option value="Compute">Compute<\/option><option value="Storage">Storage<\/option><\/select>/);
    assert.match(form, /<select name="component"><option value(="")?>All services<\/option><option value="&lt;img [^"]*">[^<]*<\/option><option value="Compute">Compute<\/option><option value="Storage">Storage<\/option><\/select>/);
    assert.match(form, /<button type="submit">/);

    assert.deepEqual(idsOf(await page(api, '/history?region=EU-DE')), [ids.march, ids.maintenance, ids.incident, ids.cancelled]);
    assert.deepEqual(idsOf(await page(api, '/history?category=Storage')), [ids.maintenance, ids.xss, ids.cancelled]);
    assert.deepEqual(idsOf(await page(api, '/history?component=Compute')), [ids.march, ids.incident, ids.notice]);
    const combined = await page(api, '/history?region=EU-NL&category=Compute&component=Compute');
    assert.deepEqual(idsOf(combined), [ids.march, ids.notice]);
    assert.match(combined, /<option value="EU-NL" selected>EU-NL<\/option>/);
    assert.match(combined, /<link rel="alternate" type="application\/atom\+xml" title="Events of service Compute, category Compute, region EU-NL \(Atom\)" href="\/feeds\/atom.xml\?region=EU-NL&amp;category=Compute&amp;component=Compute"\/?>/);
    assert.match(combined, /<a href="\/history">Show everything<\/a>/);

    // The form's "All …" sends empty values: no filter at all.
    const all = await page(api, '/history?region=&category=&component=');
    assert.equal(idsOf(all).length, 6);
    assert.match(all, /href="\/feeds\/atom.xml"/);
  });

  it('answers unknown filter values with an empty result and a clear message', async (t) => {
    const api = await buildTestApp(t);
    await seed(api);
    for (const url of ['/history?region=Atlantis', '/history?region=EU-NL&category=Compute&component=Storage', `/history?category=${'x'.repeat(255)}&page=3`]) {
      const html = await page(api, url);
      assert.deepEqual(groupsOf(html), [], url);
      assert.match(mainOf(html), /<p class="notice">No service matches the chosen region, category and service\./, url);
      assert.match(html, /href="\/feeds\/atom.xml"/, `${url}: no link to a feed that would not exist`);
    }
    const tooLong = await api.app.inject({ method: 'GET', url: `/history?region=${'x'.repeat(256)}` });
    assert.equal(tooLong.statusCode, 422);
    const twice = await api.app.inject({ method: 'GET', url: '/history?region=EU-DE&region=EU-NL' });
    assert.ok(twice.statusCode >= 400 && twice.statusCode < 500, `repeated parameter: ${twice.statusCode}`);
  });

  it('pages 25 events at a time, with links that keep the filters', async (t) => {
    const api = await buildTestApp(t);
    const [de, nl] = await createComponents(api.store, [
      ['Compute', { region: 'EU-DE', category: 'Compute' }],
      ['Compute', { region: 'EU-NL', category: 'Compute' }],
    ]);
    const start = at('2026-03-01T00:00');
    const deIds: number[] = [];
    for (let index = 0; index < 30; index++) {
      deIds.push(await createEvent(api.store, { impact: 1, startAt: start + index * HOUR, endAt: start + index * HOUR + 30 * 60_000, componentIds: [de?.id ?? 0] }));
    }
    await createEvent(api.store, { impact: 1, startAt: start - DAY, endAt: start, componentIds: [nl?.id ?? 0] });
    const newestFirst = [...deIds].reverse();

    const first = await page(api, '/history?region=EU-DE&category=');
    assert.deepEqual(idsOf(first), newestFirst.slice(0, 25));
    assert.match(first, /Page 1 of 2/);
    assert.match(first, /<a href="\/history\?region=EU-DE&amp;page=2" rel="next">Older<\/a>/);
    assert.ok(!first.includes('Newer'), 'no newer page');

    const second = await page(api, '/history?region=EU-DE&page=2');
    assert.deepEqual(idsOf(second), newestFirst.slice(25));
    assert.match(second, /Page 2 of 2/);
    assert.match(second, /<a href="\/history\?region=EU-DE" rel="prev">Newer<\/a>/);
    assert.ok(!second.includes('Older'), 'no older page');

    // Out of range clamps; anything but a number is refused.
    assert.deepEqual(idsOf(await page(api, '/history?region=EU-DE&page=99')), newestFirst.slice(25));
    assert.deepEqual(idsOf(await page(api, '/history?region=EU-DE&page=0')), newestFirst.slice(0, 25));
    for (const bad of ['abc', '-1', '1.5', '1234567', '']) {
      const response = await api.app.inject({ method: 'GET', url: `/history?page=${bad}` });
      assert.equal(response.statusCode, 422, `page=${bad}`);
    }

    // Unfiltered: 31 events, the EU-NL one last on page 2; one page only with the EU-NL filter.
    assert.equal(idsOf(await page(api, '/history?page=2')).length, 6);
    const nlOnly = await page(api, '/history?region=EU-NL');
    assert.equal(idsOf(nlOnly).length, 1);
    assert.ok(!nlOnly.includes('class="pagination"'), 'no page links for one page');
  });

  it('follows the clock without a write, and answers a repeated request with 304', async (t) => {
    const api = await buildTestApp(t);
    const ids = await seed(api);
    const response = await api.app.inject({ method: 'GET', url: '/history?region=EU-DE' });
    const etag = String(response.headers.etag);
    assert.match(etag, /^"[\w-]+"$/);
    assert.equal(response.headers['cache-control'], 'public, max-age=0, s-maxage=5, stale-if-error=86400');
    const again = await api.app.inject({ method: 'GET', url: '/history?region=EU-DE', headers: { 'if-none-match': etag } });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, '');

    // "Ends soon" ends at 13:00: past it the page shows it, without any write in between.
    api.clock.advance(HOUR);
    const later = await api.app.inject({ method: 'GET', url: '/history?region=EU-DE', headers: { 'if-none-match': etag } });
    assert.equal(later.statusCode, 200);
    assert.deepEqual(groupsOf(later.body)[0], ['March 2026', [ids.endsSoon, ids.march]]);

    // A write shows at once.
    await createEvent(api.store, { title: 'Fresh', impact: 1, startAt: at('2026-03-10T00:00'), endAt: at('2026-03-10T01:00'), componentIds: [] });
    assert.equal(idsOf(await page(api, '/history')).length, 8);
  });
});
