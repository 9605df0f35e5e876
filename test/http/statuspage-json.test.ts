// Issue 19, item 3: Atlassian Statuspage's public JSON at /api/v2/*.json, for a realistic state:
// an outage in one region, a minor incident and a maintenance in progress in another, a planned
// maintenance, a resolved incident, and a proposal nobody approved (which must not show).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { RouteOptions } from 'fastify';
import { DatabaseHealth } from '../../src/storage/health.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { DAY, HOUR, MINUTE } from '../helpers/clock.js';
import { createTestDatabase, describeEachDatabase } from '../helpers/database.js';
import { createComponents, createEvent } from '../helpers/factories.js';
import type { V2ReportResult } from '../helpers/v2.js';

const PATHS = [
  '/api/v2/summary.json',
  '/api/v2/status.json',
  '/api/v2/components.json',
  '/api/v2/incidents.json',
  '/api/v2/incidents/unresolved.json',
  '/api/v2/scheduled-maintenances.json',
  '/api/v2/scheduled-maintenances/upcoming.json',
  '/api/v2/scheduled-maintenances/active.json',
] as const;

interface Component {
  id: string;
  name: string;
  status: string;
  position: number;
  group: boolean;
  group_id: string | null;
  page_id: string;
  components?: string[];
}
interface Incident {
  id: string;
  name: string;
  status: string;
  impact: string;
  shortlink: string;
  page_id: string;
  monitoring_at: string | null;
  resolved_at: string | null;
  started_at: string;
  scheduled_for?: string;
  scheduled_until?: string | null;
  incident_updates: { id: string; status: string; body: string; incident_id: string; deliver_notifications: boolean }[];
  components: Component[];
}
interface Page {
  id: string;
  name: string;
  url: string;
  time_zone: string;
}
interface Summary {
  page: Page;
  components: Component[];
  incidents: Incident[];
  scheduled_maintenances: Incident[];
  status: { indicator: string; description: string };
}

const iso = (ms: number) => new Date(ms).toISOString();

async function openEvent(api: TestApp, body: Record<string, unknown>): Promise<number> {
  const response = await api.app.inject({ method: 'POST', url: '/api/v2/events', headers: { authorization: api.auth }, payload: body });
  assert.equal(response.statusCode, 200, response.body);
  return response.json<V2ReportResult>().result[0]?.incident_id ?? 0;
}

async function patchEvent(api: TestApp, id: number, body: Record<string, unknown>): Promise<void> {
  const response = await api.app.inject({ method: 'PATCH', url: `/api/v2/events/${id}`, headers: { authorization: api.auth }, payload: { update_date: iso(api.clock.now), ...body } });
  assert.equal(response.statusCode, 200, response.body);
}

/** The state of the story above, written the way monitoring and operators write it. */
async function realisticState(api: TestApp) {
  const [ecsDe, obsDe, ecsNl, dnsNl] = (
    await createComponents(
      api.store,
      [
        ['Elastic Cloud Server', { region: 'EU-DE', category: 'Compute', type: 'ecs' }],
        ['Object Storage', { region: 'EU-DE', category: 'Storage', type: 'obs' }],
        ['Elastic Cloud Server', { region: 'EU-NL', category: 'Compute', type: 'ecs' }],
        ['Domain Name System', { region: 'EU-NL', category: 'Network', type: 'dns' }],
      ],
      api.clock.now - 30 * DAY,
    )
  ).map((component) => component.id);
  const start = api.clock.now;

  const resolved = await openEvent(api, { title: 'Storage errors', impact: 2, type: 'incident', components: [obsDe], start_date: iso(start - 3 * DAY) });
  await patchEvent(api, resolved, { status: 'resolved', message: 'Fixed.', update_date: iso(start - 3 * DAY + HOUR) });

  const minor = await openEvent(api, { title: 'Slow name resolution', impact: 1, type: 'incident', components: [dnsNl], start_date: iso(start - 2 * HOUR) });
  const active = await openEvent(api, { title: 'Hypervisor upgrade', impact: 0, type: 'maintenance', components: [ecsNl], start_date: iso(start - HOUR), end_date: iso(start + HOUR) });
  const planned = await openEvent(api, { title: 'Storage firmware', impact: 0, type: 'maintenance', components: [obsDe], start_date: iso(start + DAY), end_date: iso(start + DAY + 2 * HOUR) });
  await createEvent(api.store, { type: 'maintenance', title: 'Secret proposal', impact: 0, status: 'pending_review', startAt: start + 2 * DAY, endAt: start + 2 * DAY + HOUR, componentIds: [ecsDe ?? 0] });

  const report = await api.postStatus({ name: 'Elastic Cloud Server', impact: 3, text: 'Instances do not start', attributes: [{ name: 'region', value: 'EU-DE' }] });
  assert.equal(report.statusCode, 201, report.body);
  const outage = report.json<{ id: number }>().id;
  api.clock.advance(10 * MINUTE);
  await patchEvent(api, outage, { status: 'fixing', message: 'The cause is found: a broken image store.' });
  api.clock.advance(10 * MINUTE);
  await patchEvent(api, outage, { status: 'impact changed', impact: 3, message: 'Still an outage.' });
  api.clock.advance(10 * MINUTE);
  await patchEvent(api, outage, { status: 'observing', message: 'Instances start again; we are watching.' });
  return { ids: { ecsDe, obsDe, ecsNl, dnsNl }, events: { resolved, minor, active, planned, outage } };
}

async function read<T>(api: TestApp, url: string, headers: Record<string, string> = {}): Promise<{ body: T; headers: Record<string, unknown>; text: string }> {
  const response = await api.app.inject({ method: 'GET', url, headers });
  assert.equal(response.statusCode, 200, `${url}: ${response.body}`);
  assert.match(String(response.headers['content-type']), /^application\/json/);
  return { body: response.json<T>(), headers: response.headers, text: response.body };
}

describeEachDatabase('Statuspage JSON (/api/v2/*.json)', () => {
  it('answers the summary with Statuspage\'s vocabulary: the rollup, regions as groups, unresolved incidents, maintenances in progress and upcoming', async (t) => {
    const api = await buildTestApp(t, { publicUrl: 'https://status.example.org/' });
    const { ids, events } = await realisticState(api);
    const { body: summary } = await read<Summary>(api, '/api/v2/summary.json');

    assert.deepEqual(Object.keys(summary), ['page', 'components', 'incidents', 'scheduled_maintenances', 'status']);
    assert.equal(summary.page.url, 'https://status.example.org');
    assert.equal(summary.page.name, 'Status Dashboard');
    assert.equal(summary.page.time_zone, 'Etc/UTC');
    assert.match(summary.page.id, /^[0-9a-f]{12}$/);
    assert.deepEqual(summary.status, { indicator: 'critical', description: 'Major Service Outage' });

    assert.deepEqual(
      summary.components.map((component) => [component.id, component.name, component.status, component.position, component.group, component.group_id]),
      [
        ['region-EU-DE', 'EU-DE', 'major_outage', 1, true, null],
        [String(ids.ecsDe), 'Elastic Cloud Server', 'major_outage', 1, false, 'region-EU-DE'],
        [String(ids.obsDe), 'Object Storage', 'operational', 2, false, 'region-EU-DE'],
        ['region-EU-NL', 'EU-NL', 'degraded_performance', 2, true, null],
        [String(ids.ecsNl), 'Elastic Cloud Server', 'under_maintenance', 1, false, 'region-EU-NL'],
        [String(ids.dnsNl), 'Domain Name System', 'degraded_performance', 2, false, 'region-EU-NL'],
      ],
    );
    assert.deepEqual(summary.components[0]?.components, [String(ids.ecsDe), String(ids.obsDe)]);
    assert.ok(summary.components.every((component) => component.page_id === summary.page.id));

    assert.deepEqual(
      summary.incidents.map((incident) => [incident.id, incident.status, incident.impact]),
      [
        [String(events.outage), 'monitoring', 'critical'],
        [String(events.minor), 'investigating', 'minor'],
      ],
    );
    const [outage] = summary.incidents;
    assert.equal(outage?.shortlink, `https://status.example.org/incidents/${events.outage}`);
    assert.equal(outage?.monitoring_at, iso(api.clock.now));
    assert.equal(outage?.resolved_at, null);
    assert.deepEqual(
      outage?.incident_updates.map((update) => [update.status, update.body, update.incident_id]),
      [
        ['monitoring', 'Instances start again; we are watching.', String(events.outage)],
        ['identified', 'Still an outage.', String(events.outage)],
        ['identified', 'The cause is found: a broken image store.', String(events.outage)],
      ],
    );
    assert.deepEqual(outage?.components.map((component) => [component.id, component.status]), [[String(ids.ecsDe), 'major_outage']]);

    assert.deepEqual(
      summary.scheduled_maintenances.map((maintenance) => [maintenance.id, maintenance.name, maintenance.status, maintenance.impact]),
      [
        [String(events.active), 'Hypervisor upgrade', 'in_progress', 'maintenance'],
        [String(events.planned), 'Storage firmware', 'scheduled', 'maintenance'],
      ],
    );
    const planned = summary.scheduled_maintenances[1];
    assert.equal(planned?.scheduled_for, iso(Date.parse(planned?.started_at ?? '')));
    assert.ok(planned?.scheduled_until);
  });

  it('lists the history, the unresolved incidents and the maintenances by state, each under its own path', async (t) => {
    const api = await buildTestApp(t);
    const { events } = await realisticState(api);
    const ids = (list: Incident[]) => list.map((incident) => Number(incident.id));

    const { body: status } = await read<{ page: Page; status: Summary['status'] }>(api, '/api/v2/status.json');
    assert.deepEqual(Object.keys(status), ['page', 'status']);
    assert.equal(status.status.indicator, 'critical');

    const { body: components } = await read<{ page: Page; components: Component[] }>(api, '/api/v2/components.json');
    assert.equal(components.components.length, 6);

    const { body: incidents } = await read<{ incidents: Incident[] }>(api, '/api/v2/incidents.json');
    assert.deepEqual(ids(incidents.incidents), [events.outage, events.minor, events.resolved]);
    const resolved = incidents.incidents[2];
    assert.equal(resolved?.status, 'resolved');
    assert.equal(resolved?.impact, 'major');
    assert.ok(resolved?.resolved_at);
    assert.deepEqual(resolved?.incident_updates.map((update) => update.status), ['resolved', 'investigating']);

    const { body: unresolved } = await read<{ incidents: Incident[] }>(api, '/api/v2/incidents/unresolved.json');
    assert.deepEqual(ids(unresolved.incidents), [events.outage, events.minor]);

    const { body: maintenances } = await read<{ scheduled_maintenances: Incident[] }>(api, '/api/v2/scheduled-maintenances.json');
    assert.deepEqual(ids(maintenances.scheduled_maintenances), [events.planned, events.active]);
    const { body: upcoming } = await read<{ scheduled_maintenances: Incident[] }>(api, '/api/v2/scheduled-maintenances/upcoming.json');
    assert.deepEqual(ids(upcoming.scheduled_maintenances), [events.planned]);
    const { body: active } = await read<{ scheduled_maintenances: Incident[] }>(api, '/api/v2/scheduled-maintenances/active.json');
    assert.deepEqual(ids(active.scheduled_maintenances), [events.active]);

    // Time moves the maintenances on by itself: past its end, the one in progress is completed.
    api.clock.advance(2 * HOUR);
    const { body: later } = await read<{ scheduled_maintenances: Incident[] }>(api, '/api/v2/scheduled-maintenances.json');
    assert.deepEqual(later.scheduled_maintenances.map((maintenance) => maintenance.status), ['scheduled', 'completed']);
    assert.deepEqual(ids((await read<{ scheduled_maintenances: Incident[] }>(api, '/api/v2/scheduled-maintenances/active.json')).body.scheduled_maintenances), []);
  });

  it('shows nothing private: no proposal, no creator or contact, and links on the request\'s own host without SD_PUBLIC_URL', async (t) => {
    const api = await buildTestApp(t);
    await realisticState(api);
    for (const path of PATHS) {
      const { text, body } = await read<{ page: Page }>(api, path, { host: 'status.example.net' });
      assert.ok(!text.includes('Secret proposal'), `${path} shows the proposal`);
      assert.ok(!/"(creator|contact_email|version)"/.test(text), `${path} shows a staff field`);
      assert.equal(body.page.url, 'http://status.example.net');
    }
    const other = await read<Summary>(api, '/api/v2/summary.json', { host: 'other.example.net' });
    assert.equal(other.body.page.url, 'http://other.example.net', 'the cached answer does not keep the first host');
    assert.ok(other.body.incidents.every((incident) => incident.shortlink.startsWith('http://other.example.net/incidents/')));
  });

  it('lets any origin read every answer, declares each answer\'s schema, and says when it was read from memory alone', async (t) => {
    const routes: RouteOptions[] = [];
    const { store } = await createTestDatabase(t);
    let away = false;
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const committedVersion = () => (away ? Promise.reject(refused) : store.committedVersion());
    const health = new DatabaseHealth(committedVersion);
    t.after(() => health.close());
    const api = await buildTestApp(t, { store: { ...store, health, committedVersion, waitsOnServer: true }, onRoute: (route) => routes.push(route) });
    await realisticState(api);

    const ajv = new Ajv.default({ strict: false, allErrors: true });
    addFormats.default(ajv);
    for (const path of PATHS) {
      const response = await api.app.inject({ method: 'GET', url: path, headers: { origin: 'https://elsewhere.example' } });
      assert.equal(response.headers['access-control-allow-origin'], '*', path);
      const schema = (routes.find((route) => route.url === path && [route.method].flat().includes('GET'))?.schema as { response?: Record<string, object> } | undefined)?.response?.['200'];
      assert.ok(schema, `${path} declares its answer`);
      const validate = ajv.compile(schema);
      assert.ok(validate(response.json()), `${path}: ${ajv.errorsText(validate.errors)}`);
    }
    const document = (await api.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{ paths: Record<string, unknown> }>();
    assert.ok(PATHS.every((path) => document.paths[path]), 'every path is in the OpenAPI document');

    away = true;
    health.markDown(refused);
    const stale = await api.app.inject({ method: 'GET', url: '/api/v2/summary.json' });
    assert.equal(stale.statusCode, 200);
    assert.ok(stale.headers['x-stale-as-of'], 'marked stale');
    assert.equal(stale.headers['cache-control'], 'no-store');
    assert.equal(stale.json<Summary>().status.indicator, 'critical', 'answered from memory');
  });
});
