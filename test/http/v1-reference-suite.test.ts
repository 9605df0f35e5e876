// Reference v1 §8.1 (test_api.py) and the black-box analogues of §8.2 (test_model.py), restated
// as HTTP calls against our API with the decisions of spec §2.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { DAY, HOUR } from '../helpers/clock.js';
import { describeEachDatabase } from '../helpers/database.js';
import { createComponents, createEvent, createReferenceComponents } from '../helpers/factories.js';
import type { V1Incident } from '../helpers/v1.js';

interface ApiComponent {
  id: number;
  name: string;
  attributes: { name: string; value: string }[];
  incidents: V1Incident[];
}

const cmp1Report = (impact: number | string, extra: Record<string, unknown> = {}) => ({
  name: 'cmp1',
  impact,
  attributes: [{ name: 'a1', value: 'v1' }],
  ...extra,
});
const cmp2Report = (impact: number | string, extra: Record<string, unknown> = {}) => ({
  name: 'cmp2',
  impact,
  attributes: [{ name: 'a1', value: 'v1' }],
  ...extra,
});

/** Fixture F-API: cmp1, cmp2 and a closed user incident "inc" on cmp1 that ended a day ago. */
async function referenceFixture(t: Parameters<typeof buildTestApp>[0]) {
  const api = await buildTestApp(t);
  const components = await createReferenceComponents(api.store);
  await createEvent(api.store, {
    title: 'inc',
    impact: 1,
    startAt: api.clock.now - 2 * DAY,
    endAt: api.clock.now - DAY,
    componentIds: [components.cmp1.id],
  });
  return { api, ...components };
}

async function activeIncidents(api: TestApp): Promise<V1Incident[]> {
  const { body } = await api.getJson<V1Incident[]>('/api/v1/incidents');
  return body.filter((incident) => incident.impact > 0 && incident.end_date === null);
}

describeEachDatabase('reference v1 §8.1 TestComponentStatus', () => {
  it('1. answers GET /api/v1/component_status without auth with 200', async (t) => {
    const { api } = await referenceFixture(t);
    const response = await api.app.inject({ method: 'GET', url: '/api/v1/component_status' });
    assert.equal(response.statusCode, 200);
  });

  it('2. refuses a status post without an Authorization header with 401', async (t) => {
    const { api } = await referenceFixture(t);
    const response = await api.app.inject({ method: 'POST', url: '/api/v1/component_status', payload: cmp1Report(1) });
    assert.equal(response.statusCode, 401);
    assert.match(response.headers['www-authenticate'] as string, /^Bearer/);
  });

  it('3. opens a new system incident when none is active', async (t) => {
    const { api } = await referenceFixture(t);
    const response = await api.postStatus(cmp1Report(1));
    assert.equal(response.statusCode, 201);
    const incident = response.json<V1Incident>();
    assert.equal(incident.impact, 1);
    assert.equal(incident.text, 'Incident');
    assert.deepEqual(incident.updates, []);
    assert.deepEqual((await activeIncidents(api)).map((i) => i.id), [incident.id]);
  });

  it('4. answers with the active maintenance that covers the component and opens nothing', async (t) => {
    const { api, cmp1 } = await referenceFixture(t);
    const maintenanceId = await createEvent(api.store, {
      type: 'maintenance',
      title: 'maint',
      startAt: api.clock.now - HOUR,
      endAt: api.clock.now + HOUR,
      componentIds: [cmp1.id],
    });
    const response = await api.postStatus(cmp1Report(1));
    assert.equal(response.statusCode, 201);
    assert.equal(response.json<V1Incident>().id, maintenanceId);
    assert.deepEqual(await activeIncidents(api), []);
  });

  it('5. opens an incident for a component the active maintenance does not cover', async (t) => {
    const { api, cmp1 } = await referenceFixture(t);
    const maintenanceId = await createEvent(api.store, {
      type: 'maintenance',
      startAt: api.clock.now - HOUR,
      endAt: api.clock.now + HOUR,
      componentIds: [cmp1.id],
    });
    const response = await api.postStatus(cmp2Report(1));
    assert.equal(response.statusCode, 201);
    assert.notEqual(response.json<V1Incident>().id, maintenanceId);
    assert.equal((await activeIncidents(api)).length, 1);
  });

  it('6. adds a second component to the active system incident of the same impact', async (t) => {
    const { api } = await referenceFixture(t);
    const first = (await api.postStatus(cmp1Report(1, { text: 'inc' }))).json<V1Incident>();
    const response = await api.postStatus(cmp2Report(1));
    assert.equal(response.statusCode, 201);
    const joined = response.json<V1Incident>();
    assert.equal(joined.id, first.id);
    assert.deepEqual(joined.updates.map((u) => [u.status, u.text]), [['SYSTEM', 'cmp2 (v1) added to inc']]);
    assert.deepEqual((await activeIncidents(api)).map((i) => i.id), [first.id]);
  });

  it('7. raises the impact of an incident whose only component gets worse', async (t) => {
    const { api } = await referenceFixture(t);
    const first = (await api.postStatus(cmp1Report(1))).json<V1Incident>();
    const response = await api.postStatus(cmp1Report(2));
    assert.equal(response.statusCode, 201);
    const raised = response.json<V1Incident>();
    assert.equal(raised.id, first.id);
    assert.equal(raised.impact, 2);
    assert.deepEqual(raised.updates.map((u) => u.text), ['impact changed from minor to major']);
    assert.deepEqual((await activeIncidents(api)).map((i) => i.id), [first.id]);
  });

  it('8. opens one incident per impact for reports of different impacts', async (t) => {
    const { api } = await referenceFixture(t);
    const res1 = await api.postStatus(cmp1Report(1));
    const res2 = await api.postStatus(cmp2Report(2));
    assert.equal(res1.statusCode, 201);
    assert.equal(res2.statusCode, 201);
    const active = await activeIncidents(api);
    assert.equal(active.length, 2);
    assert.equal(active.find((i) => i.impact === 1)?.id, res1.json<V1Incident>().id);
    assert.equal(active.find((i) => i.impact === 2)?.id, res2.json<V1Incident>().id);
  });

  it('9. moves a lone component to the incident of its new impact and closes the emptied one (H-A)', async (t) => {
    const { api } = await referenceFixture(t);
    const a = (await api.postStatus(cmp1Report(1, { text: 'API INCIDENT 1' }))).json<V1Incident>();
    const b = (await api.postStatus(cmp2Report(2, { text: 'API INCIDENT 2' }))).json<V1Incident>();
    const response = await api.postStatus(cmp1Report(2));
    assert.equal(response.statusCode, 201);
    const res3 = response.json<V1Incident>();
    assert.equal(res3.id, b.id);
    assert.equal(res3.impact, 2);
    assert.ok(res3.updates.some((u) => u.text === `cmp1 (v1, v2) moved from <a href='/incidents/${a.id}'>API INCIDENT 1</a>`));
    assert.deepEqual((await activeIncidents(api)).map((i) => i.id), [b.id]);
    const { body: all } = await api.getJson<V1Incident[]>('/api/v1/incidents');
    const closed = all.find((i) => i.id === a.id);
    assert.ok(closed?.end_date);
    assert.deepEqual(closed.updates.map((u) => u.text), ['CLOSED BY SYSTEM', `cmp1 (v1, v2) moved to <a href='/incidents/${b.id}'>API INCIDENT 2</a>`]);
  });
});

describeEachDatabase('reference v1 §8.2 black-box analogues', () => {
  it('10. looks a component up by exact name and an attribute subset, 404 otherwise', async (t) => {
    const api = await buildTestApp(t);
    await createReferenceComponents(api.store);
    const found = await api.getJson<ApiComponent>('/api/v1/component_status?name=cmp1&attribute_name=a1&attribute_value=v1');
    assert.equal(found.status, 200);
    assert.equal(found.body.name, 'cmp1');
    for (const query of ['name=cmp1&attribute_name=a1&attribute_value=v2', 'name=cmp2&attribute_name=a2&attribute_value=v2', 'attribute_name=a1&attribute_value=v1']) {
      const missing = await api.getJson(`/api/v1/component_status?${query}`);
      assert.equal(missing.status, 404, query);
      assert.deepEqual(missing.body, { code: 404, message: 'Component does not exist', status: 'Not Found' });
    }
  });

  it('11. lists a component’s attributes in catalog order', async (t) => {
    const api = await buildTestApp(t);
    await createReferenceComponents(api.store);
    const { body } = await api.getJson<ApiComponent>('/api/v1/component_status?name=cmp1&attribute_name=a2&attribute_value=v2');
    assert.deepEqual(body.attributes, [
      { name: 'a1', value: 'v1' },
      { name: 'a2', value: 'v2' },
    ]);
  });

  it('12. lists every component when no filter is given', async (t) => {
    const api = await buildTestApp(t);
    await createReferenceComponents(api.store);
    const { status, body } = await api.getJson<ApiComponent[]>('/api/v1/component_status');
    assert.equal(status, 200);
    assert.deepEqual(body.map((c) => c.name), ['cmp1', 'cmp2']);
  });

  it('19. shows a single timeline entry exactly once in the incident’s updates', async (t) => {
    const api = await buildTestApp(t);
    await createReferenceComponents(api.store);
    await api.postStatus(cmp1Report(1));
    const joined = (await api.postStatus(cmp2Report(1))).json<V1Incident>();
    assert.equal(joined.updates.length, 1);
  });
});

describeEachDatabase('GET /api/v1/component_status filters', () => {
  it('treats name as a literal, case-sensitive prefix', async (t) => {
    const api = await buildTestApp(t);
    await createComponents(api.store, [
      ['cmp1', {}],
      ['cmp10', {}],
      ['Cmp1', {}],
      ['cmp_x', {}],
      ['cmpAx', {}],
      ['100%', {}],
      ['100 percent', {}],
    ]);
    const names = async (prefix: string) =>
      (await api.getJson<ApiComponent[]>(`/api/v1/component_status?name=${encodeURIComponent(prefix)}`)).body.map((c) => c.name);
    assert.deepEqual(await names('cmp1'), ['cmp1', 'cmp10']);
    assert.deepEqual(await names('cmp_'), ['cmp_x']);
    assert.deepEqual(await names('100%'), ['100%']);
    assert.deepEqual(await names('nothing'), []);
  });

  it('ignores unknown query parameters and an attribute name given without a value', async (t) => {
    const api = await buildTestApp(t);
    await createReferenceComponents(api.store);
    const { status, body } = await api.getJson<ApiComponent[]>('/api/v1/component_status?attribute_name=a1&foo=bar');
    assert.equal(status, 200);
    assert.equal(body.length, 2);
  });

  it('lists every incident a component was ever part of, maintenances and closed ones included', async (t) => {
    const { api, cmp1 } = await referenceFixture(t);
    await createEvent(api.store, { type: 'maintenance', startAt: api.clock.now + DAY, endAt: api.clock.now + 2 * DAY, componentIds: [cmp1.id] });
    const opened = (await api.postStatus(cmp1Report(3))).json<V1Incident>();
    const { body } = await api.getJson<ApiComponent>('/api/v1/component_status?name=cmp1&attribute_name=a1&attribute_value=v1');
    assert.equal(body.incidents.length, 3);
    assert.equal(body.incidents.at(-1)?.id, opened.id);
  });
});
