// The 90-day uptime bars on the front page (issue 19, item 1).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { DAY, HOUR, MINUTE } from '../helpers/clock.js';
import { describeEachDatabase } from '../helpers/database.js';
import { createComponents, createEvent } from '../helpers/factories.js';
import { htmlPage, XSS, XSS_ESCAPED } from '../helpers/pages.js';

/** The cells of one service's bar, as a screen reader reads them (the text of each list item). */
function cellsOf(html: string, service: string): string[] {
  const start = html.indexOf(`aria-label="${service}, availability in the last 90 days"`);
  assert.ok(start >= 0, `no bar for ${service}`);
  const list = html.slice(start, html.indexOf('</ol>', start));
  return [...list.matchAll(/<li class="([^"]+)" tabindex="0"><span>([^<]*)<\/span><\/li>/g)].map((match) => `${match[1]} | ${match[2]}`);
}

function totalOf(html: string, service: string): string {
  const start = html.indexOf(`aria-label="${service}, availability in the last 90 days"`);
  const match = /<span class="uptime-total">([^<]*)<\/span>/.exec(html.slice(start));
  assert.ok(match, `no total for ${service}`);
  return match[1] ?? '';
}

async function cloud(t: Parameters<typeof buildTestApp>[0]): Promise<{ api: TestApp; compute: number; storage: number }> {
  const api = await buildTestApp(t);
  //-03-10T12:00Z is the test clock's now: Compute exists all along, Storage since 8 March 18:00.
  const [compute] = await createComponents(api.store, [['Compute', { region: 'EU-DE', category: 'Compute' }]], 0);
  const [storage] = await createComponents(api.store, [['Storage', { region: 'EU-DE', category: 'Storage' }]], Date.parse('2026-03-08T18:00:00Z'));
  return { api, compute: compute?.id ?? 0, storage: storage?.id ?? 0 };
}

describeEachDatabase('uptime bars on the front page', () => {
  it('shows each service 90 days, its outage on the days it spans, a maintenance, and no data before a service existed', async (t) => {
    const { api, compute } = await cloud(t);
    await createEvent(api.store, { impact: 3, startAt: Date.parse('2026-03-05T23:00:00Z'), endAt: Date.parse('2026-03-06T01:00:00Z'), componentIds: [compute] });
    await createEvent(api.store, { type: 'maintenance', startAt: Date.parse('2026-03-06T02:00:00Z'), endAt: Date.parse('2026-03-06T03:00:00Z'), componentIds: [compute] });
    await createEvent(api.store, { type: 'maintenance', startAt: Date.parse('2026-03-07T02:00:00Z'), endAt: Date.parse('2026-03-07T03:00:00Z'), componentIds: [compute] });
    const html = await htmlPage(api, '/');
    assert.deepEqual(cellsOf(html, 'Compute'), [
      'op n84 | 11 Dec to 4 Mar: operational, 100.00 %',
      'ou n2 r | 5 Mar to 6 Mar: outage, 95.83 %',
      'mt n1 r | 7 Mar: maintenance, 100.00 %',
      'op n3 r | 8 Mar to 10 Mar: operational, 100.00 %',
    ]);
    // Two hours down in 89.5 days.
    assert.equal(totalOf(html, 'Compute'), '99.91 % in 90 days');
    assert.deepEqual(cellsOf(html, 'Storage'), ['no n87 | 11 Dec to 7 Mar: no data', 'op n3 r | 8 Mar to 10 Mar: operational, 100.00 %']);
    assert.equal(totalOf(html, 'Storage'), '100.00 % in 90 days');
  });

  it('counts an open outage up to now and follows the clock without any write: a minute later, and a new cell at midnight', async (t) => {
    const { api, storage } = await cloud(t);
    await createEvent(api.store, { impact: 3, startAt: api.clock.now - 6 * HOUR, componentIds: [storage] });
    const before = await htmlPage(api, '/');
    assert.equal(cellsOf(before, 'Storage').at(-1), 'ou n1 r | 10 Mar: outage, 50.00 %');
    assert.equal((await htmlPage(api, '/')).length, before.length, 'the same page while nothing moves');
    api.clock.advance(2 * MINUTE);
    assert.equal(cellsOf(await htmlPage(api, '/'), 'Storage').at(-1), 'ou n1 r | 10 Mar: outage, 49.86 %');
    api.clock.advance(12 * HOUR);
    const tomorrow = await htmlPage(api, '/');
    // 18 hours of 10 March were down, and the 2 minutes of 11 March so far.
    assert.deepEqual(cellsOf(tomorrow, 'Storage').slice(-2), ['ou n1 r | 10 Mar: outage, 25.00 %', 'ou n1 r | 11 Mar: outage, 0.00 %']);
    assert.equal(cellsOf(tomorrow, 'Compute')[0], 'op n90 | 12 Dec to 11 Mar: operational, 100.00 %');
  });

  it('only outages are downtime, as on /availability: a major incident colours the day and leaves 100 %', async (t) => {
    const { api, compute } = await cloud(t);
    await createEvent(api.store, { impact: 2, startAt: api.clock.now - 2 * DAY, endAt: api.clock.now - 2 * DAY + HOUR, componentIds: [compute] });
    const html = await htmlPage(api, '/');
    assert.ok(cellsOf(html, 'Compute').includes('ma n1 r | 8 Mar: major issue, 100.00 %'));
    assert.equal(totalOf(html, 'Compute'), '100.00 % in 90 days');
  });

  it('a new incident shows at once (the bar is cached per version, not past a write)', async (t) => {
    const { api } = await cloud(t);
    assert.equal(cellsOf(await htmlPage(api, '/'), 'Compute').length, 1);
    const posted = await api.postStatus({ name: 'Compute', impact: 1, text: 'slow', attributes: [{ name: 'region', value: 'EU-DE' }] });
    assert.equal(posted.statusCode, 201);
    assert.equal(cellsOf(await htmlPage(api, '/'), 'Compute').at(-1), 'mi n1 r | 10 Mar: minor issue, 100.00 %');
  });

  it('escapes a service name in its bar', async (t) => {
    const api = await buildTestApp(t);
    await createComponents(api.store, [[XSS, { region: 'EU-DE', category: 'Compute' }]]);
    const html = await htmlPage(api, '/');
    assert.ok(!html.includes(XSS), 'the name is never markup');
    assert.ok(html.includes(`aria-label="${XSS_ESCAPED}, availability in the last 90 days"`));
  });
});
