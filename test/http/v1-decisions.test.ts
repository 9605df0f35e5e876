// Reference v1 §8.6 API cases and the decisions of spec §2, as black-box HTTP tests.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { buildTestApp } from '../helpers/app.js';
import { HOUR } from '../helpers/clock.js';
import { describeEachDatabase } from '../helpers/database.js';
import { createComponents, createEvent, createReferenceComponents } from '../helpers/factories.js';
import type { V1Incident } from '../helpers/v1.js';

const report = (name: string, impact: number | string, extra: Record<string, unknown> = {}) => ({
  name,
  impact,
  attributes: [{ name: 'region', value: 'R1' }],
  ...extra,
});

async function threeComponents(t: Parameters<typeof buildTestApp>[0]) {
  const api = await buildTestApp(t);
  const [a, b, c] = await createComponents(api.store, [
    ['A', { region: 'R1', category: 'Compute' }],
    ['B', { region: 'R1', category: 'Compute' }],
    ['C', { region: 'R1', category: 'Storage' }],
  ]);
  return { api, a: a!, b: b!, c: c! };
}

async function incidents(api: Awaited<ReturnType<typeof buildTestApp>>): Promise<V1Incident[]> {
  return (await api.getJson<V1Incident[]>('/api/v1/incidents')).body;
}

describeEachDatabase('POST /api/v1/component_status decisions', () => {
  it('answers a repeated report with the exact 409 body of the reference', async (t) => {
    const { api } = await threeComponents(t);
    const first = (await api.postStatus(report('A', 2, { text: 'Compute is slow' }))).json<V1Incident>();
    for (const impact of [1, 2]) {
      const response = await api.postStatus(report('A', impact));
      assert.equal(response.statusCode, 409);
      assert.match(response.headers['content-type'] as string, /^application\/json/);
      assert.deepEqual(response.json(), {
        details: 'Check your request parameters',
        existingIncidentId: first.id,
        existingIncidentTitle: 'Compute is slow',
        message: 'Incident with this the component already exists',
        targetComponent: 'A (R1, Compute)',
      });
      assert.equal(response.body.indexOf('"details"'), 1, 'keys are sorted as the reference sends them');
    }
  });

  it('raises the impact of a lone component’s incident to outage (H-B) and keeps title and start', async (t) => {
    const { api } = await threeComponents(t);
    const first = (await api.postStatus(report('A', 'minor', { text: 'Slow' }))).json<V1Incident>();
    api.clock.advance(5 * 60_000);
    const raised = (await api.postStatus(report('A', 'outage', { text: 'ignored' }))).json<V1Incident>();
    assert.equal(raised.id, first.id);
    assert.equal(raised.impact, 3);
    assert.equal(raised.text, 'Slow');
    assert.deepEqual(raised.updates.map((u) => [u.status, u.text, u.timestamp]), [['SYSTEM', 'impact changed from minor to outage', '2026-03-10 12:05']]);
  });

  it('moves one of several components to the existing incident of its new impact (H-C)', async (t) => {
    const { api } = await threeComponents(t);
    const i = (await api.postStatus(report('A', 1, { text: 'Minor' }))).json<V1Incident>();
    await api.postStatus(report('B', 1));
    const m = (await api.postStatus(report('C', 2, { text: 'Major' }))).json<V1Incident>();
    const moved = (await api.postStatus(report('A', 2))).json<V1Incident>();
    assert.equal(moved.id, m.id);
    assert.equal(moved.updates[0]?.text, `A (R1, Compute) moved from <a href='/incidents/${i.id}'>Minor</a>`);
    const source = (await incidents(api)).find((x) => x.id === i.id);
    assert.equal(source?.end_date, null, 'the source keeps B and stays open');
    assert.equal(source?.updates[0]?.text, `A (R1, Compute) moved to <a href='/incidents/${m.id}'>Major</a>`);
    const { body: component } = await api.getJson<{ incidents: V1Incident[] }>('/api/v1/component_status?name=A&attribute_name=region&attribute_value=R1');
    assert.deepEqual(component.incidents.map((x) => x.id), [m.id], 'A left the source incident');
  });

  it('splits one of several components into a new incident when none has its new impact (H-D)', async (t) => {
    const { api } = await threeComponents(t);
    const i = (await api.postStatus(report('A', 1, { text: 'Minor' }))).json<V1Incident>();
    await api.postStatus(report('B', 1));
    const response = await api.postStatus(report('A', 3, { text: 'A is down' }));
    assert.equal(response.statusCode, 201);
    const n = response.json<V1Incident>();
    assert.notEqual(n.id, i.id);
    assert.equal(n.impact, 3);
    assert.equal(n.text, 'A is down');
    assert.deepEqual(n.updates.map((u) => u.text), [`A (R1, Compute) moved from <a href='/incidents/${i.id}'>Minor</a>`]);
    const source = (await incidents(api)).find((x) => x.id === i.id);
    assert.equal(source?.updates[0]?.text, `A (R1, Compute) moved to <a href='/incidents/${n.id}'>A is down</a>`);
    assert.equal(source?.end_date, null);
  });

  it('escapes incident titles and component names inside the generated HTML texts', async (t) => {
    const api = await buildTestApp(t);
    await createComponents(api.store, [
      ['<b>A</b>', { region: 'R1' }],
      ['B', { region: 'R1' }],
    ]);
    const i = (await api.postStatus(report('<b>A</b>', 1, { text: '<script>alert(1)</script>' }))).json<V1Incident>();
    const m = (await api.postStatus(report('B', 2, { text: "it's <img src=x onerror=alert(1)>" }))).json<V1Incident>();
    const moved = (await api.postStatus(report('<b>A</b>', 2))).json<V1Incident>();
    assert.equal(moved.id, m.id);
    assert.equal(moved.updates[0]?.text, `&lt;b&gt;A&lt;/b&gt; (R1) moved from <a href='/incidents/${i.id}'>&lt;script&gt;alert(1)&lt;/script&gt;</a>`);
    const joined = await api.postStatus(report('B', 2));
    assert.equal(joined.statusCode, 409);
    assert.equal(joined.json<{ existingIncidentTitle: string }>().existingIncidentTitle, "it's <img src=x onerror=alert(1)>", 'JSON carries the title as it is');
  });

  it('shields a component covered by a second concurrent maintenance (spec §2.6)', async (t) => {
    const { api, a, b } = await threeComponents(t);
    await createEvent(api.store, { type: 'maintenance', startAt: api.clock.now - HOUR, endAt: api.clock.now + HOUR, componentIds: [a.id] });
    const second = await createEvent(api.store, { type: 'maintenance', startAt: api.clock.now - HOUR, endAt: api.clock.now + HOUR, componentIds: [b.id] });
    const response = await api.postStatus(report('B', 3));
    assert.equal(response.statusCode, 201);
    assert.equal(response.json<V1Incident>().id, second);
    assert.equal((await incidents(api)).filter((x) => x.impact > 0).length, 0);
  });

  it('ignores planned and finished maintenances', async (t) => {
    const { api, a } = await threeComponents(t);
    await createEvent(api.store, { type: 'maintenance', startAt: api.clock.now + HOUR, endAt: api.clock.now + 2 * HOUR, componentIds: [a.id] });
    await createEvent(api.store, { type: 'maintenance', startAt: api.clock.now - 2 * HOUR, endAt: api.clock.now - HOUR, componentIds: [a.id] });
    const response = await api.postStatus(report('A', 1));
    assert.equal(response.statusCode, 201);
    assert.equal(response.json<V1Incident>().impact, 1);
  });

  it('answers 409 for a user incident of equal or higher impact and opens a system incident beside it for a higher one', async (t) => {
    const { api, a } = await threeComponents(t);
    const user = await createEvent(api.store, { title: 'Operators on it', impact: 2, startAt: api.clock.now - HOUR, componentIds: [a.id] });
    for (const impact of [1, 2]) {
      const response = await api.postStatus(report('A', impact));
      assert.equal(response.statusCode, 409);
      assert.equal(response.json<{ existingIncidentId: number }>().existingIncidentId, user);
    }
    const response = await api.postStatus(report('A', 3));
    assert.equal(response.statusCode, 201);
    const system = response.json<V1Incident>();
    assert.notEqual(system.id, user);
    assert.equal(system.impact, 3);
  });

  it('never joins a user incident that has the requested impact', async (t) => {
    const { api, a } = await threeComponents(t);
    const user = await createEvent(api.store, { impact: 1, startAt: api.clock.now - HOUR, componentIds: [a.id] });
    const response = await api.postStatus(report('B', 1));
    assert.equal(response.statusCode, 201);
    assert.notEqual(response.json<V1Incident>().id, user);
  });

  it('reuses a system incident whose end date lies in the future: one definition of active (spec §1)', async (t) => {
    const { api, a } = await threeComponents(t);
    const scheduled = await createEvent(api.store, { system: true, impact: 1, startAt: api.clock.now - HOUR, endAt: api.clock.now + HOUR, componentIds: [a.id] });
    const response = await api.postStatus(report('B', 1));
    assert.equal(response.json<V1Incident>().id, scheduled);
  });

  it('does not consider a system incident that starts in the future', async (t) => {
    const { api, a } = await threeComponents(t);
    const future = await createEvent(api.store, { system: true, impact: 1, startAt: api.clock.now + HOUR, componentIds: [a.id] });
    const response = await api.postStatus(report('A', 1));
    assert.equal(response.statusCode, 201);
    assert.notEqual(response.json<V1Incident>().id, future);
  });

  it('accepts the impact names and integer strings of the seed’s curl example', async (t) => {
    const { api } = await threeComponents(t);
    const minor = await api.postStatus(report('A', 'minor'));
    assert.equal(minor.statusCode, 201);
    assert.equal(minor.json<V1Incident>().impact, 1);
    const major = await api.postStatus(report('B', '2'));
    assert.equal(major.json<V1Incident>().impact, 2);
  });

  for (const impact of [0, 4, 5, -1, '0', 'maintenance', 'severe']) {
    it(`refuses impact ${JSON.stringify(impact)} with 400 and writes nothing`, async (t) => {
      const { api } = await threeComponents(t);
      const response = await api.postStatus(report('A', impact));
      assert.equal(response.statusCode, 400);
      assert.deepEqual(response.json(), { code: 400, message: 'Incident impact is not allowed by configuration', status: 'Bad Request' });
      assert.deepEqual(await incidents(api), []);
    });
  }

  it('answers 400 "Component not found" for an unknown component or attribute, never 500', async (t) => {
    const api = await buildTestApp(t);
    await createReferenceComponents(api.store);
    for (const body of [
      { name: 'nope', impact: 1 },
      { name: 'cmp2', impact: 1, attributes: [{ name: 'a2', value: 'v2' }] },
    ]) {
      const response = await api.postStatus(body);
      assert.equal(response.statusCode, 400);
      assert.deepEqual(response.json(), { code: 400, message: 'Component not found', status: 'Bad Request' });
    }
    assert.deepEqual(await incidents(api), []);
  });

  it('uses the report’s text only when it opens an incident', async (t) => {
    const { api } = await threeComponents(t);
    const first = (await api.postStatus(report('A', 1, { text: 'First' }))).json<V1Incident>();
    const joined = (await api.postStatus(report('B', 1, { text: 'Second' }))).json<V1Incident>();
    assert.equal(joined.id, first.id);
    assert.equal(joined.text, 'First');
  });

  it('serves reads that reflect a write as soon as it returns', async (t) => {
    const { api } = await threeComponents(t);
    await api.getJson('/api/v1/incidents'); // fill the cache
    const opened = (await api.postStatus(report('A', 1))).json<V1Incident>();
    const { body } = await api.getJson<V1Incident[]>('/api/v1/incidents');
    assert.deepEqual(body.map((x) => x.id), [opened.id]);
  });

  it('shows a component’s incidents as they change, also when another component changed them', async (t) => {
    const { api } = await threeComponents(t);
    const lookup = '/api/v1/component_status?name=A&attribute_name=region&attribute_value=R1';
    const opened = (await api.postStatus(report('A', 1, { text: 'Slow' }))).json<V1Incident>();
    assert.deepEqual((await api.getJson<{ incidents: V1Incident[] }>(lookup)).body.incidents[0]?.updates, []);
    await api.getJson('/api/v1/component_status');
    await api.postStatus(report('B', 1));
    const { body } = await api.getJson<{ incidents: V1Incident[] }>(lookup);
    assert.deepEqual(body.incidents.map((incident) => [incident.id, incident.updates.map((u) => u.text)]), [[opened.id, ['B (R1, Compute) added to Slow']]]);
    const { body: all } = await api.getJson<{ name: string; incidents: V1Incident[] }[]>('/api/v1/component_status');
    assert.equal(all.find((component) => component.name === 'A')?.incidents[0]?.updates.length, 1);
  });
});
