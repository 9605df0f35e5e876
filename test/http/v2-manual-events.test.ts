// Events people open through API v2 (reference v3 §3.4.1, its test A8) and separating components
// (§3.6, test A11).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { DAY } from '../helpers/clock.js';
import { describeEachDatabase } from '../helpers/database.js';
import { createComponents } from '../helpers/factories.js';
import type { V2Event, V2ReportResult } from '../helpers/v2.js';

async function fixture(t: Parameters<typeof buildTestApp>[0]) {
  const api = await buildTestApp(t);
  const [de, nl, dcs] = await createComponents(api.store, [
    ['Cloud Container Engine', { category: 'Container', region: 'EU-DE', type: 'cce' }],
    ['Cloud Container Engine', { category: 'Container', region: 'EU-NL', type: 'cce' }],
    ['Distributed Cache Service', { category: 'Database', region: 'EU-DE', type: 'dcs' }],
  ]);
  return { api, de: de?.id ?? 0, nl: nl?.id ?? 0, dcs: dcs?.id ?? 0 };
}

const start = (api: TestApp) => new Date(api.clock.now - DAY).toISOString();
async function open(api: TestApp, body: Record<string, unknown>): Promise<number | undefined> {
  const response = await api.app.inject({ method: 'POST', url: '/v2/events', headers: { authorization: api.auth }, payload: { impact: 1, type: 'incident', start_date: start(api), ...body } });
  assert.equal(response.statusCode, 200, response.body);
  const { result } = response.json<V2ReportResult>();
  assert.equal(new Set(result.map((r) => r.incident_id)).size, 1, 'every component points at the new event');
  return result[0]?.incident_id;
}
const get = async (api: TestApp, id: number | undefined) => (await api.getJson<V2Event>(`/v2/events/${id}`)).body;

describeEachDatabase('events people open through API v2 (A8)', () => {
  it('opens an incident, then a second one takes its components over and closes it', async (t) => {
    const { api, de, nl, dcs } = await fixture(t);
    const x = await open(api, { title: 'T1', description: 'any description for incident', components: [de, nl] });
    const first = await get(api, x);
    assert.deepEqual(
      [first.start_date, first.title, first.impact, first.system, first.end_date, first.type, first.updates[0]?.text],
      [start(api), 'T1', 1, false, undefined, 'incident', 'The incident is detected.'],
    );

    const y = await open(api, { title: 'T2', components: [de, nl] });
    const closed = await get(api, x);
    assert.ok(closed.end_date);
    assert.deepEqual(closed.components, [nl]);
    assert.deepEqual(closed.updates.map((u) => [u.status, u.text]), [
      ['detected', 'The incident is detected.'],
      ['SYSTEM', `Cloud Container Engine (Container, EU-DE, cce) moved to <a href='/incidents/${y}'>T2</a>`],
      ['resolved', `Cloud Container Engine (Container, EU-NL, cce) moved to <a href='/incidents/${y}'>T2</a>, Incident closed by system`],
    ]);
    const second = await get(api, y);
    assert.deepEqual(second.components, [de, nl]);
    assert.deepEqual(second.updates.map((u) => [u.status, u.text]), [
      ['detected', 'The incident is detected.'],
      ['SYSTEM', `Cloud Container Engine (Container, EU-DE, cce) moved from <a href='/incidents/${x}'>T1</a>`],
      ['SYSTEM', `Cloud Container Engine (Container, EU-NL, cce) moved from <a href='/incidents/${x}'>T1</a>`],
    ]);

    const maintenance = await open(api, { title: 'Upgrade', description: 'any description for maintenance', type: 'maintenance', impact: 0, components: [de, nl], end_date: new Date(api.clock.now + DAY).toISOString() });
    const window = await get(api, maintenance);
    assert.deepEqual([window.type, window.status, window.updates[0]?.status, window.description], ['maintenance', 'in progress', 'planned', 'any description for maintenance']);
    assert.deepEqual(await get(api, y), second, 'a maintenance moves nothing');

    const other = await open(api, { title: 'Cache', components: [dcs] });
    assert.ok(other && y && other > y);
  });

  it('takes a component from a monitoring incident of higher impact too', async (t) => {
    const { api, de } = await fixture(t);
    const system = (await api.postStatus({ name: 'Cloud Container Engine', impact: 3, attributes: [{ name: 'region', value: 'EU-DE' }] })).json<{ id: number }>().id;
    const manual = await open(api, { title: 'We are on it', components: [de] });
    assert.ok((await get(api, system)).end_date, 'the emptied monitoring incident closed');
    assert.deepEqual((await get(api, manual)).components, [de]);
  });

  it('opens an info notice that stays without end', async (t) => {
    const { api, de } = await fixture(t);
    const info = await get(api, await open(api, { title: 'New region soon', type: 'info', impact: 0, components: [de] }));
    assert.deepEqual([info.type, info.status, info.end_date, info.updates[0]?.text], ['info', 'active', undefined, 'The informational notification is planned.']);
  });
});

describeEachDatabase('maintenances and notices beside incidents (A14, A15)', () => {
  it('keeps each event with its own dates, kind and components', async (t) => {
    const { api, de, nl } = await fixture(t);
    const hour = 3_600_000;
    const planned = { start_date: new Date(api.clock.now + hour).toISOString(), end_date: new Date(api.clock.now + 2 * hour).toISOString() };
    const m = await open(api, { title: 'Test maintenance incident for dcs', description: 'Test maintenance description', type: 'maintenance', impact: 0, components: [de, nl], ...planned });
    const maintenance = await get(api, m);
    assert.deepEqual(
      [maintenance.start_date, maintenance.end_date, maintenance.impact, maintenance.system, maintenance.description, maintenance.updates[0]?.status],
      [new Date(api.clock.now + hour).toISOString(), new Date(api.clock.now + 2 * hour).toISOString(), 0, false, 'Test maintenance description', 'planned'],
    );
    const i = await open(api, { title: 'Initial incident event', description: 'Description for the initial incident', components: [de] });
    const f = await open(api, {
      title: 'Informational Update During IsActive Incident and Before Maintenance',
      type: 'info',
      impact: 0,
      components: [de],
      start_date: new Date(api.clock.now - hour / 2).toISOString(),
      end_date: new Date(api.clock.now + hour / 2).toISOString(),
    });
    assert.ok(new Set([m, i, f]).size === 3);
    const info = await get(api, f);
    assert.deepEqual([info.type, info.impact, info.components, info.end_date], ['info', 0, [de], new Date(api.clock.now + hour / 2).toISOString()]);
    const incident = await get(api, i);
    assert.deepEqual([incident.type, incident.end_date, incident.components], ['incident', undefined, [de]]);
    assert.deepEqual((await get(api, m)).components, [de, nl], 'neither the incident nor the notice took components from the maintenance');
  });
});

describeEachDatabase('POST /v2/events/:id/extract (A11)', () => {
  it('separates a component into a new incident and keeps at least one', async (t) => {
    const { api, de, nl, dcs } = await fixture(t);
    const x = await open(api, { title: 'Test component extraction for component dcs', description: 'Test incident for extraction', components: [de, nl] });
    const extract = (components: unknown, id = x) => api.app.inject({ method: 'POST', url: `/v2/events/${id}/extract`, headers: { authorization: api.auth }, payload: { components } });
    const response = await extract([nl]);
    assert.equal(response.statusCode, 200);
    const created = response.json<V2Event>();
    assert.deepEqual([created.components, created.impact, created.description, created.system], [[nl], 1, 'Test incident for extraction', false]);
    assert.equal(created.updates[0]?.text, `Cloud Container Engine (Container, EU-NL, cce) moved from <a href='/incidents/${x}'>Test component extraction for component dcs</a>`);
    const source = await get(api, x);
    assert.deepEqual(source.components, [de]);
    assert.deepEqual(source.updates.map((u) => u.text), [
      'The incident is detected.',
      `Cloud Container Engine (Container, EU-NL, cce) moved to <a href='/incidents/${created.id}'>Test component extraction for component dcs</a>`,
    ]);

    assert.deepEqual((await extract([de])).json(), { errMsg: 'can not move all components to the new incident, keep at least one' });
    assert.deepEqual((await extract([dcs])).json(), { errMsg: `component ${dcs} is not in the incident` });
    assert.deepEqual((await extract([999])).json(), { errMsg: 'component does not exist, component_id: 999' });
    assert.deepEqual((await extract([de], 12345)).json(), { errMsg: 'event does not exist' });
    assert.equal((await extract([])).statusCode, 400);
  });
});
