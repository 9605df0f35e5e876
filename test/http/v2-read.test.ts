// The read side of API v2 (reference v3 §3.2, §3.3, §3.8): components and events for the
// reporter and the React front end, errors as {"errMsg"}.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { attributeMap, findMatchingComponent } from '../../src/domain/component.js';
import { buildTestApp } from '../helpers/app.js';
import { DAY, HOUR } from '../helpers/clock.js';
import { describeEachDatabase } from '../helpers/database.js';
import { createComponents, createEvent } from '../helpers/factories.js';
import type { V2Event } from '../helpers/v2.js';

interface Page {
  data: V2Event[];
  pagination?: { pageIndex: number; recordsPerPage: number; totalRecords: number; totalPages: number };
}

async function fixture(t: Parameters<typeof buildTestApp>[0]) {
  const api = await buildTestApp(t);
  const catalog = await createComponents(api.store, [
    ['Cloud Container Engine', { category: 'Container', region: 'EU-DE', type: 'cce' }],
    ['Cloud Container Engine', { category: 'Container', region: 'EU-NL', type: 'cce' }],
    ['Domain Name System', { category: 'Network', region: 'EU-DE', type: 'dns' }],
  ]);
  return { api, catalog };
}

describeEachDatabase('API v2 components', () => {
  it('lists components by id and lets a reporter resolve one by name and attribute subset', async (t) => {
    const { api, catalog } = await fixture(t);
    for (const prefix of ['/v2', '/api/v2']) {
      const { status, body } = await api.getJson<{ id: number; name: string; attributes: { name: string; value: string }[] }[]>(`${prefix}/components`);
      assert.equal(status, 200);
      assert.deepEqual(body.map((c) => c.id), catalog.map((c) => c.id));
      assert.deepEqual(Object.keys(body[0] ?? {}), ['id', 'name', 'attributes']);
      const found = findMatchingComponent(body, 'Cloud Container Engine', attributeMap([{ name: 'region', value: 'EU-NL' }]));
      assert.equal(found?.id, catalog[1]?.id);
    }
  });

  it('gets one component, 400 for a malformed id and 404 for an unknown one', async (t) => {
    const { api, catalog } = await fixture(t);
    const one = await api.getJson<{ id: number }>(`/v2/components/${catalog[2]?.id}`);
    assert.equal(one.body.id, catalog[2]?.id);
    assert.deepEqual(await api.getJson('/v2/components/abc'), { status: 400, body: { errMsg: 'component invalid format' } });
    assert.deepEqual(await api.getJson('/v2/components/0'), { status: 400, body: { errMsg: 'component invalid format' } });
    assert.deepEqual(await api.getJson('/v2/components/999'), { status: 404, body: { errMsg: 'component does not exist' } });
    assert.deepEqual(await api.getJson('/v2/nothing'), { status: 404, body: { errMsg: 'page not found' } });
  });
});

describeEachDatabase('API v2 events', () => {
  it('shows an incident monitoring opened through v1, with components, status and embedded updates', async (t) => {
    const { api, catalog } = await fixture(t);
    const opened = await api.postStatus({ name: 'Cloud Container Engine', impact: 1, text: 'CCE degraded', attributes: [{ name: 'region', value: 'EU-DE' }] });
    await api.postStatus({ name: 'Cloud Container Engine', impact: 1, attributes: [{ name: 'region', value: 'EU-NL' }] });
    const id = opened.json<{ id: number }>().id;
    const { status, body } = await api.getJson<V2Event>(`/v2/events/${id}`);
    assert.equal(status, 200);
    assert.deepEqual(Object.keys(body), ['id', 'title', 'impact', 'components', 'start_date', 'system', 'type', 'updates', 'status']);
    assert.equal(body.title, 'CCE degraded');
    assert.deepEqual(body.components, [catalog[0]?.id, catalog[1]?.id]);
    assert.equal(body.start_date, '2026-03-10T12:00:00.000Z');
    assert.equal(body.system, true);
    assert.equal(body.status, 'detected');
    assert.deepEqual(body.updates, [{ id: 0, status: 'SYSTEM', text: 'Cloud Container Engine (Container, EU-NL, cce) added to CCE degraded', timestamp: '2026-03-10T12:00:00.000Z' }]);
    assert.deepEqual((await api.getJson(`/v2/incidents/${id}`)).body, body);
  });

  it('answers 400 for a malformed event id and 404 for an unknown one', async (t) => {
    const { api } = await fixture(t);
    assert.equal((await api.getJson('/v2/events/x')).status, 400);
    assert.deepEqual(await api.getJson('/v2/events/12345'), { status: 404, body: { errMsg: 'event does not exist' } });
  });

  it('filters and paginates newest first', async (t) => {
    const { api, catalog } = await fixture(t);
    const now = api.clock.now;
    const [cce, , dns] = catalog.map((c) => c.id);
    const ids: number[] = [];
    for (let i = 0; i < 23; i++) {
      ids.push(await createEvent(api.store, { impact: (i % 3) + 1, startAt: now - (i + 1) * DAY, endAt: i % 2 ? now - i * DAY : null, system: i % 4 === 0, componentIds: [i % 5 ? cce ?? 0 : dns ?? 0] }));
    }
    const maintenance = await createEvent(api.store, { type: 'maintenance', startAt: now + HOUR, endAt: now + 2 * HOUR, componentIds: [dns ?? 0] });
    const all = (await api.getJson<Page>('/v2/events')).body;
    assert.deepEqual(all.data.map((e) => e.id), [maintenance, ...ids]);
    assert.deepEqual(all.pagination, { pageIndex: 1, recordsPerPage: 50, totalRecords: 24, totalPages: 1 });
    const second = (await api.getJson<Page>('/v2/events?limit=10&page=2')).body;
    assert.deepEqual(second.data.map((e) => e.id), ids.slice(9, 19));
    assert.deepEqual(second.pagination, { pageIndex: 2, recordsPerPage: 10, totalRecords: 24, totalPages: 3 });
    assert.deepEqual((await api.getJson<Page>('/v2/events?limit=10&page=9')).body.data, []);

    const query = async (q: string) => (await api.getJson<Page>(`/v2/events?${q}`)).body.data.map((e) => e.id);
    const expect = (predicate: (e: V2Event) => boolean) => all.data.filter(predicate).map((e) => e.id);
    assert.deepEqual(await query('impact=2'), expect((e) => e.impact === 2));
    assert.deepEqual(await query('system=true'), expect((e) => e.system));
    assert.deepEqual(await query('system=false&type=incident'), expect((e) => !e.system && e.type === 'incident'));
    assert.deepEqual(await query(`components=${dns}`), expect((e) => e.components.includes(dns ?? 0)));
    assert.deepEqual(await query('components=999'), []);
    assert.deepEqual((await api.getJson<Page>('/v2/events?components=999')).body, { data: [] });
    assert.deepEqual(await query('type=maintenance'), [maintenance]);
    assert.deepEqual(await query('status=planned'), [maintenance]);
    assert.deepEqual(await query('active=true'), expect((e) => !e.end_date && e.type === 'incident'));
    assert.deepEqual(await query(`start_date=${new Date(now - 3 * DAY).toISOString()}`), [maintenance, ...ids.slice(0, 3)]);
    assert.deepEqual(await query(`end_date=${new Date(now - 20 * DAY).toISOString()}`), expect((e) => !!e.end_date && Date.parse(e.end_date) <= now - 20 * DAY));
    const legacy = (await api.getJson<{ data: V2Event[]; pagination?: unknown }>('/v2/incidents')).body;
    assert.equal(legacy.data.length, 24);
    assert.equal(legacy.pagination, undefined);
  });

  for (const query of ['status=resurrected', 'type=invalid', 'active=maybe', 'impact=abc', 'components=2147483649', 'type=outage', 'type=', 'active=false', 'status=SYSTEM', 'status=active', 'start_date=yesterday', 'impact=4', 'system=yes', 'components=a', 'page=0', 'limit=30', 'start_date=2026-03-02T00:00:00Z&end_date=2026-03-01T00:00:00Z']) {
    it(`refuses the filter ${query} with 400`, async (t) => {
      const { api } = await fixture(t);
      assert.deepEqual(await api.getJson(`/v2/events?${query}`), { status: 400, body: { errMsg: 'filter query parameter has an invalid format or value' } });
    });
  }

  it('ignores unknown parameters (U14.3)', async (t) => {
    const { api } = await fixture(t);
    assert.equal((await api.getJson('/v2/events?opened=true')).status, 200);
  });
});
