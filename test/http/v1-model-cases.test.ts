// Reference v1 §8.2 cases 14–18 (test_model.py's fixture F-INC), restated against our read side:
// the one definition of "active" (spec §1) and what the API shows of it.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ReadModel } from '../../src/read-model/read-model.js';
import { buildTestApp } from '../helpers/app.js';
import { DAY } from '../helpers/clock.js';
import { describeEachDatabase } from '../helpers/database.js';
import { createComponents, createEvent } from '../helpers/factories.js';
import type { V1Incident } from '../helpers/v1.js';

/** F-INC: cmp1, cmp2; maintenance m1 and system incident i1 open; user incident i2 closed a day ago. */
async function fixture(t: Parameters<typeof buildTestApp>[0]) {
  const api = await buildTestApp(t);
  const [cmp1, cmp2] = await createComponents(api.store, { cmp1: { a1: 'v1', a2: 'v2' }, cmp2: { a1: 'v3' } });
  const start = api.clock.now - 2 * DAY;
  const m1 = await createEvent(api.store, { type: 'maintenance', title: 'Maintenance1', startAt: start });
  const i1 = await createEvent(api.store, { title: 'Incident1', impact: 1, system: true, startAt: start });
  const i2 = await createEvent(api.store, { title: 'Incident2', impact: 1, startAt: start, endAt: api.clock.now - DAY, componentIds: [cmp1?.id ?? 0] });
  return { api, m1, i1, i2, cmp1, cmp2 };
}

describeEachDatabase('reference v1 §8.2 F-INC cases', () => {
  it('14–16. counts the open maintenance and the open system incident as active, not the closed one', async (t) => {
    const { api, m1, i1 } = await fixture(t);
    const model = await new ReadModel(api.store).fresh();
    const active = model.activeEvents(api.clock.now);
    assert.deepEqual(active.map((e) => e.id).sort((a, b) => a - b), [m1, i1]);
    assert.deepEqual(active.filter((e) => e.type === 'maintenance').map((e) => e.title), ['Maintenance1']);
    assert.deepEqual(active.filter((e) => e.type === 'incident' && e.system).map((e) => e.title), ['Incident1']);
  });

  it('17. lists the closed incident by id with its title and end date', async (t) => {
    const { api, i2 } = await fixture(t);
    const { body } = await api.getJson<V1Incident[]>('/api/v1/incidents');
    const found = body.find((incident) => incident.id === i2);
    assert.equal(found?.text, 'Incident2');
    assert.equal(found?.end_date, '2026-03-09 12:00');
  });

  it('18. shows the attribute values of a closed incident’s components', async (t) => {
    const { api, i2 } = await fixture(t);
    const { body } = await api.getJson<{ attributes: { name: string; value: string }[]; incidents: V1Incident[] }[]>('/api/v1/component_status');
    const values = body
      .filter((component) => component.incidents.some((incident) => incident.id === i2))
      .flatMap((component) => component.attributes.filter((a) => a.name === 'a2').map((a) => a.value));
    assert.deepEqual(new Set(values), new Set(['v2']));
  });

  it('joins the open system incident that has no component yet, as the reference’s seeds allow', async (t) => {
    const { api, i1 } = await fixture(t);
    const response = await api.postStatus({ name: 'cmp2', impact: 1, attributes: [{ name: 'a1', value: 'v3' }] });
    assert.equal(response.statusCode, 201);
    assert.equal(response.json<V1Incident>().id, i1);
  });
});
