// GET /availability: the last twelve months per service of a region, outages split at month
// boundaries, maintenance never downtime, a mean row per region, rendered once a minute.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { buildTestApp } from '../helpers/app.js';
import { HOUR, TestClock } from '../helpers/clock.js';
import { describeEachDatabase } from '../helpers/database.js';
import { htmlPage, XSS, XSS_ESCAPED } from '../helpers/pages.js';
import { createComponents, createEvent } from '../helpers/factories.js';

const at = (iso: string) => Date.parse(`${iso}Z`);

const page = htmlPage;

interface Row {
  category?: string;
  rowspan?: number;
  service: string;
  cells: { text: string; band: string }[];
}

/** The table's rows: the row header, the category cell where it starts, each cell's number and band. */
function rowsOf(html: string): Row[] {
  const body = html.slice(html.indexOf('</thead>'), html.indexOf('</table>'));
  return body
    .split('<tr>')
    .slice(1)
    .map((row) => {
      const group = /<th scope="rowgroup" rowspan="(\d+)">([^<]*)<\/th>/.exec(row);
      const service = /<th scope="row"[^>]*>([^<]*)<\/th>/.exec(row)?.[1] ?? '';
      const cells = [...row.matchAll(/<td class="availability band-(\w+)">([\d.]+)<span class="visually-hidden"> percent<\/span><\/td>/g)].map(([, band, text]) => ({ band: band ?? '', text: text ?? '' }));
      return { ...(group ? { category: group[2], rowspan: Number(group[1]) } : {}), service, cells };
    });
}

const numbers = (row: Row | undefined) => row?.cells.map((cell) => cell.text);

describeEachDatabase('GET /availability', () => {
  it('shows twelve months, oldest first, per service with outages split at month boundaries', async (t) => {
    const api = await buildTestApp(t, { clock: new TestClock(at('2026-03-10T12:00')) });
    const [compute, , dns, , unlisted] = await createComponents(api.store, [
      ['Compute', { region: 'EU-DE', category: 'Compute' }],
      ['Auto Scaling', { region: 'EU-DE', category: 'Compute' }],
      ['DNS', { region: 'EU-DE', category: 'Network' }],
      ['Storage', { region: 'EU-NL', category: 'Storage' }],
      ['Unlisted', { region: 'EU-DE' }],
    ]);
    const on = (component: { id: number } | undefined) => [component?.id ?? 0];
    // January (31 days): 5 h down, the reference's own check: (44640 − 300) / 44640 → 99.33.
    await createEvent(api.store, { impact: 3, startAt: at('2026-01-12T10:00'), endAt: at('2026-01-12T15:00'), componentIds: on(compute) });
    // Maintenance and lesser incidents are never downtime.
    await createEvent(api.store, { type: 'maintenance', startAt: at('2026-02-03T00:00'), endAt: at('2026-02-03T10:00'), componentIds: on(compute) });
    await createEvent(api.store, { impact: 2, startAt: at('2026-02-05T00:00'), endAt: at('2026-02-05T10:00'), componentIds: on(compute) });
    // 2 h in January and 2 h in February.
    await createEvent(api.store, { impact: 3, startAt: at('2026-01-31T22:00'), endAt: at('2026-02-01T02:00'), componentIds: on(dns) });
    // Most of December: poor.
    await createEvent(api.store, { impact: 3, startAt: at('2025-12-01T00:00'), endAt: at('2025-12-20T00:00'), componentIds: on(dns) });
    await createEvent(api.store, { impact: 3, startAt: at('2026-01-01T00:00'), endAt: at('2026-01-02T00:00'), componentIds: on(unlisted) });

    const html = await page(api, '/availability');
    assert.match(html, /<title>Component Availability \| /);
    assert.match(html, /<a href="\/availability" aria-current="page">Availability<\/a>/);
    assert.match(html, /<h1>Component Availability<\/h1>/);
    // The first region in sorted order is open by default.
    assert.match(html, /<a href="\/availability\?region=EU-DE" aria-current="page"><span>EU-DE<\/span><\/a>/);
    assert.match(html, /<a href="\/availability\?region=EU-NL"><span>EU-NL<\/span><\/a>/);
    assert.match(html, /<div class="table-wrap" tabindex="0" role="region" aria-label="Availability in EU-DE">/);
    assert.match(html, /<caption>Availability of the services in EU-DE, in percent, April 2025 to March 2026<\/caption>/);
    assert.match(html, /<th scope="col" rowspan="2">Category<\/th><th scope="col" rowspan="2">Service<\/th><th scope="colgroup" colspan="12"[^>]*>Availability, <span aria-hidden="true">%<\/span><span class="visually-hidden">percent<\/span><\/th>/);
    const months = [...html.matchAll(/<th scope="col" class="availability"><span aria-hidden="true">([^<]*)<\/span><span class="visually-hidden">([^<]*)<\/span><\/th>/g)];
    assert.deepEqual(months.map((match) => match[1]), ['Apr 2025', 'May 2025', 'Jun 2025', 'Jul 2025', 'Aug 2025', 'Sep 2025', 'Oct 2025', 'Nov 2025', 'Dec 2025', 'Jan 2026', 'Feb 2026', 'Mar 2026'], 'short names fit twelve columns');
    assert.deepEqual(months.map((match) => match[2]), ['April 2025', 'May 2025', 'June 2025', 'July 2025', 'August 2025', 'September 2025', 'October 2025', 'November 2025', 'December 2025', 'January 2026', 'February 2026', 'March 2026']);

    const rows = rowsOf(html);
    assert.deepEqual(
      rows.map((row) => [row.category, row.rowspan, row.service]),
      [
        [undefined, undefined, 'All services'],
        ['Compute', 2, 'Auto Scaling'],
        [undefined, undefined, 'Compute'],
        ['Network', 1, 'DNS'],
      ],
    );
    assert.equal((html.match(/<tbody/g) ?? []).length, 3, 'the mean row, then one tbody per category');
    assert.ok(!html.includes('Unlisted'), 'services without a category are not listed');
    assert.ok(rows.every((row) => row.cells.length === 12));
    const [all, autoScaling, computeRow, dnsRow] = rows;
    const tail = (row: Row | undefined) => numbers(row)?.slice(8); // December … March

    assert.deepEqual(tail(computeRow), ['100.00', '99.33', '100.00', '100.00']);
    assert.equal(computeRow?.cells[9]?.band, 'degraded');
    assert.deepEqual(tail(autoScaling), ['100.00', '100.00', '100.00', '100.00']);
    assert.ok(autoScaling?.cells.every((cell) => cell.band === 'good'));
    // 19 of 31 days down in December; 2 h of 744 h in January; 2 h of 672 h in February.
    assert.deepEqual(tail(dnsRow), ['38.71', '99.73', '99.70', '100.00']);
    assert.deepEqual(dnsRow?.cells.slice(8).map((cell) => cell.band), ['poor', 'degraded', 'degraded', 'good']);
    // The mean of the three services: (100 + 99.32796 + 99.73118) / 3 in January, and so on.
    assert.equal(all?.service, 'All services');
    assert.deepEqual(tail(all), ['79.57', '99.69', '99.90', '100.00']);
    assert.deepEqual(all?.cells.slice(8).map((cell) => cell.band), ['poor', 'degraded', 'degraded', 'good']);
    assert.deepEqual(numbers(all)?.slice(0, 8), Array(8).fill('100.00'));
  });

  it('opens the asked region, falls back to the first for an unknown one, and escapes names', async (t) => {
    const api = await buildTestApp(t);
    const [odd] = await createComponents(api.store, [
      [XSS, { region: 'EU-NL', category: 'Storage' }],
      ['Compute', { region: 'EU-DE', category: 'Compute' }],
    ]);
    // An open outage counts up to now: 2 h of the 228 h of March so far.
    await createEvent(api.store, { title: 'Down', impact: 3, startAt: at('2026-03-10T10:00'), componentIds: [odd?.id ?? 0] });

    const nl = await page(api, '/availability?region=EU-NL');
    assert.match(nl, /aria-current="page"><span>EU-NL<\/span>/);
    assert.ok(!nl.includes(XSS), 'no raw tag');
    assert.ok(nl.includes(`<th scope="row">${XSS_ESCAPED}</th>`), 'the escaped name');
    assert.deepEqual(numbers(rowsOf(nl)[1])?.at(-1), '99.12');
    assert.match(nl, /href="\/feeds\/atom.xml\?region=EU-NL"/);

    const unknown = await page(api, '/availability?region=Atlantis');
    assert.match(unknown, /aria-current="page"><span>EU-DE<\/span>/);
    const tooLong = await api.app.inject({ method: 'GET', url: `/availability?region=${'x'.repeat(256)}` });
    assert.equal(tooLong.statusCode, 422);

    // A minute later the numbers follow the clock (3 h of 229 h), without any write.
    api.clock.advance(HOUR);
    assert.deepEqual(numbers(rowsOf(await page(api, '/availability?region=EU-NL'))[1])?.at(-1), '98.69');
  });

  it('says so when no service has a region and a category', async (t) => {
    const api = await buildTestApp(t);
    await createComponents(api.store, [['Loose', { region: 'EU-DE' }]]);
    const html = await page(api, '/availability');
    assert.match(html, /No components with a region and a category yet\./);
    assert.ok(!html.includes('<table'));
  });

  it('answers a repeated request with 304 while nothing changed', async (t) => {
    const api = await buildTestApp(t);
    await createComponents(api.store, [['Compute', { region: 'EU-DE', category: 'Compute' }]]);
    const first = await api.app.inject({ method: 'GET', url: '/availability?region=EU-DE' });
    const etag = String(first.headers.etag);
    assert.match(etag, /^"[\w-]+"$/);
    assert.match(String(first.headers['content-security-policy']), /default-src 'none'/);
    const again = await api.app.inject({ method: 'GET', url: '/availability?region=EU-DE', headers: { 'if-none-match': etag } });
    assert.equal(again.statusCode, 304);
    // A write makes a new page.
    const [dns] = await createComponents(api.store, [['DNS', { region: 'EU-DE', category: 'Network' }]]);
    assert.ok(dns);
    const changed = await api.app.inject({ method: 'GET', url: '/availability?region=EU-DE', headers: { 'if-none-match': etag } });
    assert.equal(changed.statusCode, 200);
    assert.match(changed.body, /<th scope="row">DNS<\/th>/);
  });
});
