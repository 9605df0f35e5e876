// GET /api/v2/availability and /v2/availability: the v3 answer shape, computed by the shared
// availability module, with CORS for the React front end.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { buildTestApp } from '../helpers/app.js';
import { TestClock } from '../helpers/clock.js';
import { describeEachDatabase } from '../helpers/database.js';
import { createComponents, createEvent } from '../helpers/factories.js';

interface Availability {
  data: { id: number; name: string; region: string; availability: { year: number; month: number; percentage: number }[] }[];
}

const at = (iso: string) => Date.parse(`${iso}Z`);

describeEachDatabase('GET /v2/availability', () => {
  it('matches a hand-computed scenario to the minute on both paths', async (t) => {
    const api = await buildTestApp(t, { clock: new TestClock(at('2026-03-10T12:00')) });
    const [dns, obs] = await createComponents(api.store, [
      ['Domain Name System', { region: 'EU-DE', category: 'Network', type: 'dns' }],
      ['Object Storage', { category: 'Storage' }],
    ]);
    const on = (id = 0) => [id];
    await createEvent(api.store, { impact: 3, startAt: at('2026-01-31T22:00'), endAt: at('2026-02-01T02:00'), componentIds: on(dns?.id) });
    await createEvent(api.store, { impact: 3, startAt: at('2026-02-10T00:00'), endAt: at('2026-02-10T04:00'), componentIds: on(dns?.id) });
    await createEvent(api.store, { impact: 3, startAt: at('2026-02-10T02:00'), endAt: at('2026-02-10T06:00'), componentIds: on(dns?.id) });
    await createEvent(api.store, { type: 'maintenance', startAt: at('2026-02-20T00:00'), endAt: at('2026-02-20T10:00'), componentIds: on(dns?.id) });
    await createEvent(api.store, { impact: 3, system: true, startAt: at('2026-03-10T10:00'), componentIds: on(dns?.id) });

    for (const url of ['/api/v2/availability', '/v2/availability']) {
      const { status, body } = await api.getJson<Availability>(url);
      assert.equal(status, 200);
      assert.deepEqual(Object.keys(body.data[0] ?? {}), ['id', 'name', 'availability', 'region']);
      const first = body.data[0];
      assert.equal(first?.id, dns?.id);
      assert.equal(first?.region, 'EU-DE');
      assert.deepEqual(first?.availability.slice(0, 4).map((m) => [m.year, m.month, m.percentage]), [
        [2026, 3, 99.12281],
        [2026, 2, 98.80952],
        [2026, 1, 99.73118],
        [2025, 12, 100],
      ]);
      assert.equal(body.data[1]?.id, obs?.id);
      assert.equal(body.data[1]?.region, '');
      assert.ok(body.data[1]?.availability.every((m) => m.percentage === 100));
    }

    // An hour later the open outage has grown: the answer follows the clock.
    api.clock.advance(60 * 60_000);
    const later = await api.getJson<Availability>('/v2/availability');
    assert.equal(later.body.data[0]?.availability[0]?.percentage, 98.68996); // 3 h of 229 h
  });

  it('answers the front end’s preflight and cross-origin reads, also with an expired token', async (t) => {
    const api = await buildTestApp(t);
    const preflight = await api.app.inject({
      method: 'OPTIONS',
      url: '/v2/availability',
      headers: { origin: 'https://status.example.org', 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization,content-type' },
    });
    assert.ok(preflight.statusCode >= 200 && preflight.statusCode < 300, String(preflight.statusCode));
    assert.equal(preflight.headers['access-control-allow-origin'], '*');
    assert.match(String(preflight.headers['access-control-allow-headers']), /Authorization/i);
    assert.match(String(preflight.headers['access-control-allow-methods']), /PATCH/);
    const read = await api.app.inject({
      method: 'GET',
      url: '/api/v2/availability',
      headers: { origin: 'https://status.example.org', authorization: 'Bearer expired.token.here' },
    });
    assert.equal(read.statusCode, 200);
    assert.equal(read.headers['access-control-allow-origin'], '*');
  });
});
