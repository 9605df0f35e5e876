// Reference v3 §8.7 (system incidents, A17–A27) and A39 (availability), restated black-box and
// independent of each other and of the clock.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { DAY, TestClock } from '../helpers/clock.js';
import { describeEachDatabase } from '../helpers/database.js';
import { createComponents } from '../helpers/factories.js';
import type { V2Event, V2ReportResult } from '../helpers/v2.js';

/** The Go fixture's six components: CCE, ECS and DCS in EU-DE and EU-NL (ids 1–6 in order). */
async function fixture(t: Parameters<typeof buildTestApp>[0], clock?: TestClock) {
  const api = await buildTestApp(t, clock ? { clock } : {});
  const services: [string, string, string][] = [
    ['Cloud Container Engine', 'Container', 'cce'],
    ['Elastic Cloud Server', 'Compute', 'ecs'],
    ['Distributed Cache Service', 'Database', 'dcs'],
  ];
  const created = await createComponents(
    api.store,
    services.flatMap(([name, category, type]): [string, Record<string, string>][] =>
      ['EU-DE', 'EU-NL'].map((region) => [name, { region, category, type }]),
    ),
  );
  const id = (n: number) => created[n - 1]?.id ?? 0;
  return { api, id };
}

async function post(api: TestApp, body: Record<string, unknown>) {
  return api.app.inject({
    method: 'POST',
    url: '/v2/incidents',
    headers: { authorization: api.auth },
    payload: { title: 'System incident', start_date: new Date(api.clock.now).toISOString(), type: 'incident', system: true, ...body },
  });
}
const results = async (api: TestApp, body: Record<string, unknown>) => {
  const response = await post(api, body);
  assert.equal(response.statusCode, 200, response.body);
  return response.json<V2ReportResult>().result;
};
const get = async (api: TestApp, id: number | undefined) => (await api.getJson<V2Event>(`/v2/events/${id}`)).body;

describeEachDatabase('reference v3 §8.7 system incidents', () => {
  it('A17. refuses system maintenances and notices', async (t) => {
    const { api, id } = await fixture(t);
    assert.deepEqual((await post(api, { impact: 0, components: [id(1)], type: 'maintenance' })).json(), { errMsg: 'maintenance end_date is empty' });
    assert.deepEqual((await post(api, { impact: 0, components: [id(1)], type: 'info' })).json(), { errMsg: "system incident must be of type 'incident'" });
  });

  it('A18. opens an incident when nothing is active', async (t) => {
    const { api, id } = await fixture(t);
    const [result] = await results(api, { title: 'System incident - no active events', impact: 2, components: [id(3)] });
    assert.equal(result?.error, undefined);
    const incident = await get(api, result?.incident_id);
    assert.deepEqual([incident.title, incident.impact, incident.system, incident.type, incident.end_date], ['System incident - no active events', 2, true, 'incident', undefined]);
  });

  it('A19. reports a component under maintenance as an error', async (t) => {
    const { api, id } = await fixture(t);
    await results(api, { system: false, type: 'maintenance', impact: 0, components: [id(3)], end_date: new Date(api.clock.now + DAY).toISOString() });
    assert.deepEqual((await results(api, { impact: 2, components: [id(3)] }))[0]?.error, 'event creation failed, component in maintenance');
  });

  it('A20. leaves a component in the incident people opened', async (t) => {
    const { api, id } = await fixture(t);
    const [regular] = await results(api, { system: false, title: 'Regular incident', impact: 2, components: [id(4)] });
    assert.deepEqual(await results(api, { impact: 2, components: [id(4)] }), [{ component_id: id(4), incident_id: regular?.incident_id }]);
    const incident = await get(api, regular?.incident_id);
    assert.deepEqual([incident.system, incident.title], [false, 'Regular incident']);
  });

  it('A21. answers a repeat with the same incident', async (t) => {
    const { api, id } = await fixture(t);
    const [s1] = await results(api, { impact: 2, components: [id(5)] });
    assert.deepEqual(await results(api, { impact: 2, components: [id(5)] }), [{ component_id: id(5), incident_id: s1?.incident_id }]);
  });

  it('A22. never lowers an impact', async (t) => {
    const { api, id } = await fixture(t);
    const [h] = await results(api, { impact: 3, components: [id(6)] });
    assert.deepEqual(await results(api, { impact: 1, components: [id(6)] }), [{ component_id: id(6), incident_id: h?.incident_id }]);
    assert.equal((await get(api, h?.incident_id)).impact, 3);
  });

  it('A23. raises the impact of a lone component’s incident', async (t) => {
    const { api, id } = await fixture(t);
    const [l] = await results(api, { impact: 1, components: [id(3)] });
    assert.deepEqual(await results(api, { impact: 3, components: [id(3)] }), [{ component_id: id(3), incident_id: l?.incident_id }]);
    const raised = await get(api, l?.incident_id);
    assert.deepEqual([raised.impact, raised.system, raised.end_date], [3, true, undefined]);
  });

  it('A24. splits one of two components into a new incident of the higher impact', async (t) => {
    const { api, id } = await fixture(t);
    const [l] = await results(api, { impact: 1, components: [id(3), id(4)] });
    assert.equal((await get(api, l?.incident_id)).components.length, 2);
    const [n] = await results(api, { impact: 3, components: [id(3)] });
    assert.notEqual(n?.incident_id, l?.incident_id);
    const split = await get(api, n?.incident_id);
    assert.deepEqual([split.impact, split.system, split.components], [3, true, [id(3)]]);
    const left = await get(api, l?.incident_id);
    assert.equal(left.impact, 1);
    assert.ok(left.updates.some((update) => update.text.includes('moved to')));
  });

  it('A25–A26. joins the incident of the same impact, several components of one report together', async (t) => {
    const { api, id } = await fixture(t);
    const [s] = await results(api, { impact: 2, components: [id(5)] });
    assert.deepEqual(await results(api, { impact: 2, components: [id(6)] }), [{ component_id: id(6), incident_id: s?.incident_id }]);
    assert.deepEqual((await get(api, s?.incident_id)).components, [id(5), id(6)]);
    const many = await results(api, { impact: 1, components: [id(3), id(4), id(1)] });
    assert.deepEqual(many.map((r) => r.component_id), [id(3), id(4), id(1)]);
    assert.equal(new Set(many.map((r) => r.incident_id)).size, 1);
    assert.ok(many.every((r) => r.error === undefined));
    assert.equal((await get(api, many[0]?.incident_id)).components.length, 3);
  });

  it('A27. a mixed report: maintenance, escalation, an incident people run, and a join', async (t) => {
    const { api, id } = await fixture(t);
    await results(api, { system: false, type: 'maintenance', impact: 0, components: [id(3)], end_date: new Date(api.clock.now + DAY).toISOString() });
    await results(api, { impact: 1, components: [id(4)] });
    const [r5] = await results(api, { system: false, title: 'Regular', impact: 2, components: [id(5)] });
    const mixed = await results(api, { impact: 3, components: [id(3), id(4), id(5), id(6)] });
    const k = mixed[1]?.incident_id;
    assert.deepEqual(mixed, [
      { component_id: id(3), incident_id: mixed[0]?.incident_id, error: 'event creation failed, component in maintenance' },
      { component_id: id(4), incident_id: k },
      { component_id: id(5), incident_id: r5?.incident_id },
      { component_id: id(6), incident_id: k },
    ]);
    const escalated = await get(api, k);
    assert.deepEqual([escalated.impact, escalated.system, escalated.components.length], [3, true, 2]);
  });
});

describeEachDatabase('reference v3 A39 availability', () => {
  it('gives 50 % for months half covered by resolved outages, 100 % elsewhere', async (t) => {
    const { api, id } = await fixture(t, new TestClock(Date.parse('2025-10-20T00:00:00Z')));
    const patch = (eventId: number | undefined, at: string) =>
      api.app.inject({ method: 'PATCH', url: `/v2/events/${eventId}`, headers: { authorization: api.auth }, payload: { status: 'resolved', message: 'resolved', update_date: at } });
    const [n1] = await results(api, { system: false, title: 'Test incident for dns N1', impact: 3, components: [id(1)], start_date: '2025-07-01T00:00:00Z' });
    assert.equal((await patch(n1?.incident_id, '2025-07-16T12:00:00Z')).statusCode, 200);
    const [n2] = await results(api, { system: false, title: 'Test incident for dns N2', impact: 3, components: [id(1)], start_date: '2025-08-16T12:00:00Z' });
    assert.equal((await patch(n2?.incident_id, '2025-09-16T00:00:00Z')).statusCode, 200);
    const { body } = await api.getJson<{ data: { id: number; availability: { year: number; month: number; percentage: number }[] }[] }>('/v2/availability');
    const months = body.data.find((entry) => entry.id === id(1))?.availability ?? [];
    for (const month of months) {
      assert.equal(month.percentage, [7, 8, 9].includes(month.month) && month.year === 2025 ? 50 : 100, `${month.year}-${month.month}`);
    }
  });
});
