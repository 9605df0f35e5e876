// The monitoring reporter's contract with API v2 (reference v3 §3.4.2): read /v2/components,
// resolve ids by name and attributes, post /v2/events with "system": true.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { attributeMap, findMatchingComponent } from '../../src/domain/component.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { HOUR } from '../helpers/clock.js';
import { describeEachDatabase } from '../helpers/database.js';
import { createComponents, createEvent } from '../helpers/factories.js';
import type { V2Event, V2ReportResult } from '../helpers/v2.js';

async function fixture(t: Parameters<typeof buildTestApp>[0]) {
  const api = await buildTestApp(t);
  await createComponents(api.store, [
    ['Cloud Container Engine', { region: 'EU-DE', category: 'Container', type: 'cce' }],
    ['Cloud Container Engine', { region: 'EU-NL', category: 'Container', type: 'cce' }],
    ['Domain Name System', { region: 'EU-DE', category: 'Network', type: 'dns' }],
  ]);
  const { body: components } = await api.getJson<{ id: number; name: string; attributes: { name: string; value: string }[] }[]>('/v2/components');
  const idOf = (name: string, region: string) => {
    const found = findMatchingComponent(components, name, attributeMap([{ name: 'region', value: region }]));
    assert.ok(found, `${name} in ${region}`);
    return found.id;
  };
  return { api, cceDe: idOf('Cloud Container Engine', 'EU-DE'), cceNl: idOf('Cloud Container Engine', 'EU-NL'), dns: idOf('Domain Name System', 'EU-DE') };
}

function post(api: TestApp, body: Record<string, unknown>, url = '/v2/events') {
  return api.app.inject({
    method: 'POST',
    url,
    headers: { authorization: api.auth },
    payload: { title: 'Monitoring alert', impact: 1, start_date: new Date(api.clock.now - HOUR).toISOString(), system: true, type: 'incident', ...body },
  });
}

async function event(api: TestApp, id: number | undefined): Promise<V2Event> {
  return (await api.getJson<V2Event>(`/v2/events/${id}`)).body;
}

describeEachDatabase('POST /v2/events with system: true', () => {
  it('opens a system incident, answers the same one for a repeat, and raises it for a higher impact', async (t) => {
    const { api, cceDe } = await fixture(t);
    const first = await post(api, { components: [cceDe] });
    assert.equal(first.statusCode, 200);
    const [opened] = first.json<V2ReportResult>().result;
    assert.equal(opened?.component_id, cceDe);
    const incident = await event(api, opened?.incident_id);
    assert.equal(incident.system, true);
    assert.equal(incident.title, 'Monitoring alert');
    assert.equal(incident.description, 'System-wide incident affecting multiple components. Created automatically.');
    assert.equal(incident.start_date, new Date(api.clock.now - HOUR).toISOString());
    assert.equal(incident.status, 'detected');
    assert.deepEqual(incident.updates, [{ id: 0, status: 'detected', text: 'The incident is detected.', timestamp: incident.start_date }]);

    const again = (await post(api, { components: [cceDe] }, '/v2/incidents')).json<V2ReportResult>();
    assert.deepEqual(again.result, [{ component_id: cceDe, incident_id: opened?.incident_id }]);

    const raised = (await post(api, { components: [cceDe], impact: 3 })).json<V2ReportResult>();
    assert.deepEqual(raised.result, [{ component_id: cceDe, incident_id: opened?.incident_id }]);
    const after = await event(api, opened?.incident_id);
    assert.equal(after.impact, 3);
    assert.deepEqual(after.updates.map((u) => [u.status, u.text]), [
      ['detected', 'The incident is detected.'],
      ['SYSTEM', 'impact changed from 1 to 3'],
    ]);
  });

  it('puts several components of one report into one new incident, and later ones join it', async (t) => {
    const { api, cceDe, cceNl, dns } = await fixture(t);
    const { result } = (await post(api, { components: [cceDe, cceNl], impact: 2 })).json<V2ReportResult>();
    assert.equal(result.length, 2);
    assert.equal(result[0]?.incident_id, result[1]?.incident_id);
    await post(api, { components: [dns], impact: 2 });
    const incident = await event(api, result[0]?.incident_id);
    assert.deepEqual(incident.components, [cceDe, cceNl, dns]);
    assert.deepEqual(incident.updates.map((u) => [u.status, u.text]), [
      ['detected', 'The incident is detected.'],
      ['detected', 'Cloud Container Engine (Container, EU-NL, cce) added to the incident by system.'],
      ['detected', 'Domain Name System (Network, EU-DE, dns) added to the incident by system.'],
    ]);
  });

  it('moves a lone component to the incident of its new impact and closes the old one in one entry', async (t) => {
    const { api, cceDe, dns } = await fixture(t);
    const a = (await post(api, { components: [cceDe], impact: 1, title: 'A' })).json<V2ReportResult>().result[0]?.incident_id;
    const b = (await post(api, { components: [dns], impact: 2, title: 'B' })).json<V2ReportResult>().result[0]?.incident_id;
    const moved = (await post(api, { components: [cceDe], impact: 2 })).json<V2ReportResult>();
    assert.deepEqual(moved.result, [{ component_id: cceDe, incident_id: b }]);
    const old = await event(api, a);
    assert.ok(old.end_date);
    assert.equal(old.status, 'resolved');
    assert.deepEqual(old.updates.at(-1), {
      id: 1,
      status: 'resolved',
      text: `Cloud Container Engine (Container, EU-DE, cce) moved to <a href='/incidents/${b}'>B</a>, Incident closed by system`,
      timestamp: new Date(api.clock.now).toISOString(),
    });
    assert.equal((await event(api, b)).updates.at(-1)?.text, `Cloud Container Engine (Container, EU-DE, cce) moved from <a href='/incidents/${a}'>A</a>`);
  });

  it('leaves components under maintenance or in incidents people run as they are', async (t) => {
    const { api, cceDe, cceNl } = await fixture(t);
    const maintenance = await createEvent(api.store, { type: 'maintenance', startAt: api.clock.now - HOUR, endAt: api.clock.now + HOUR, componentIds: [cceDe] });
    const manual = await createEvent(api.store, { impact: 1, startAt: api.clock.now - HOUR, componentIds: [cceNl] });
    const { result } = (await post(api, { components: [cceDe, cceNl], impact: 3 })).json<V2ReportResult>();
    assert.deepEqual(result, [
      { component_id: cceDe, incident_id: maintenance, error: 'event creation failed, component in maintenance' },
      { component_id: cceNl, incident_id: manual },
    ]);
    assert.equal((await event(api, manual)).impact, 1, 'the manual incident is untouched');
    const active = (await api.getJson<{ data: V2Event[] }>('/v2/events?system=true')).body.data;
    assert.deepEqual(active, []);
  });

  const refusals: [string, Record<string, unknown>, number, string][] = [
    ['an unknown component', { components: [999] }, 400, 'component does not exist, component_id: 999'],
    ['an incident of impact 0', { impact: 0 }, 400, "impact must be 0 for type 'maintenance' or 'info' and gt 0 for 'incident'"],
    ['a maintenance of impact 1', { type: 'maintenance', end_date: '2030-01-01T00:00:00Z' }, 400, "impact must be 0 for type 'maintenance' or 'info' and gt 0 for 'incident'"],
    ['an incident with an end', { end_date: '2030-01-01T00:00:00Z' }, 400, 'event end_date should be empty'],
    ['an incident starting later', { start_date: '2099-01-01T00:00:00Z' }, 400, 'event start_date should not be in the future'],
    ['a maintenance without end', { type: 'maintenance', impact: 0 }, 400, 'maintenance end_date is empty'],
    ['updates', { updates: [{ status: 'x' }] }, 400, 'event updates should be empty'],
    ['a system maintenance', { type: 'maintenance', impact: 0, end_date: '2030-01-01T00:00:00Z' }, 400, "system incident must be of type 'incident'"],
  ];
  for (const [what, body, status, message] of refusals) {
    it(`refuses ${what} with ${status} and changes nothing`, async (t) => {
      const { api, cceDe } = await fixture(t);
      const response = await post(api, { components: [cceDe], ...body });
      assert.deepEqual({ status: response.statusCode, body: response.json() }, { status, body: { errMsg: message } });
      assert.deepEqual((await api.getJson<{ data: unknown[] }>('/v2/events')).body.data, []);
    });
  }

  it('refuses malformed bodies and missing tokens with a JSON errMsg', async (t) => {
    const { api, cceDe } = await fixture(t);
    for (const body of [{ components: [] }, { components: ['x'] }, { components: [cceDe], start_date: 'yesterday' }, { components: [cceDe], type: 'outage' }]) {
      const response = await post(api, body);
      assert.equal(response.statusCode, 400, JSON.stringify(body));
      assert.equal(typeof response.json<{ errMsg: string }>().errMsg, 'string');
    }
    const anonymous = await api.app.inject({ method: 'POST', url: '/v2/events', payload: { components: [cceDe] } });
    assert.deepEqual({ status: anonymous.statusCode, body: anonymous.json() }, { status: 401, body: { errMsg: 'not authenticated' } });
  });
});
