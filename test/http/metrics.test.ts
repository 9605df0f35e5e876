// Issue 19, item 4: /metrics in Prometheus' text format, read by a real parser of that format
// after real traffic through the application, on each database.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { getMetricsFromStream, type PromMetric, type PromMetrics } from 'prom2javascript';
import pg from 'pg';
import { openStore } from '../../src/storage/store.js';
import { withWriteTransaction } from '../../src/storage/write-transaction.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { HOUR, MINUTE } from '../helpers/clock.js';
import { createTestDatabase, describeEachDatabase } from '../helpers/database.js';
import { createComponents, createEvent } from '../helpers/factories.js';
import { testNotifier } from '../helpers/notifier.js';
import { startSmtpServer } from '../helpers/smtp.js';
import { buildSubscriptionApp, mailNotifier, postForm, subscribeFields } from '../helpers/subscriptions.js';
import { switchable } from '../helpers/switchable-store.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';

type Families = PromMetrics;
/** One series of a family: a value (counters, gauges), or buckets, count and sum (histograms). */
type Series = PromMetric['data'][number] & { value?: number; buckets?: Record<string, number>; count?: number; sum?: number };

const REQUESTS = 'status_dashboard_http_request_duration_seconds';
const REPORTS = 'status_dashboard_status_reports_total';
const ACTIVE = 'status_dashboard_active_incidents';
const DELIVERIES = 'status_dashboard_notification_deliveries_total';
const TOKEN = 'metrics-token-for-the-tests-0123';

async function scrape(api: TestApp, headers: Record<string, string> = {}): Promise<Families> {
  const response = await api.app.inject({ method: 'GET', url: '/metrics', headers });
  assert.equal(response.statusCode, 200, response.body);
  assert.match(String(response.headers['content-type']), /^text\/plain; version=0\.0\.4; charset=utf-8$/);
  assert.equal(response.headers['cache-control'], 'no-store');
  // A parser of the text format that throws on any line it cannot read.
  return getMetricsFromStream(Readable.from([response.body]));
}

/** The series of a family, each with its labels. */
function seriesOf(families: Families, name: string): Series[] {
  const family = families[name];
  assert.ok(family, `${name} is exposed`);
  return family.data;
}

/** The one series of a family whose labels include `labels`. */
function sampleOf(families: Families, name: string, labels: Record<string, string> = {}): Series {
  const series = seriesOf(families, name);
  const found = series.filter((sample) => Object.entries(labels).every(([key, value]) => sample.labels[key] === value));
  assert.equal(found.length, 1, `one ${name} with ${JSON.stringify(labels)} among ${JSON.stringify(series.map((sample) => sample.labels))}`);
  return found[0] ?? { labels: {}, value: Number.NaN };
}
const valueOf = (families: Families, name: string, labels: Record<string, string> = {}) => Number(sampleOf(families, name, labels).value);
const countOf = (families: Families, name: string, labels: Record<string, string> = {}) => Number(sampleOf(families, name, labels).count);

/** Time for prom-client's event-loop monitor to take a sample (every 10 ms): until then its mean is NaN, which the parser refuses. */
const sampledEventLoop = () => new Promise((resolve) => setTimeout(resolve, 50));

async function setUp(api: TestApp) {
  const [compute, storage, network, database] = await createComponents(api.store, [
    ['Compute', { region: 'EU-1' }],
    ['Storage', { region: 'EU-1' }],
    ['Network', { region: 'EU-1' }],
    ['Database', { region: 'EU-1' }],
  ]);
  const report = (name: string, impact: number | string) => api.postStatus({ name, impact, attributes: [{ name: 'region', value: 'EU-1' }], text: 'Trouble' });
  const call = (method: 'POST' | 'PATCH', url: string, payload: object) => api.app.inject({ method, url, headers: { authorization: api.auth }, payload });
  return { compute: compute?.id ?? 0, storage: storage?.id ?? 0, network: network?.id ?? 0, database: database?.id ?? 0, report, call };
}

describeEachDatabase('/metrics (issue 19)', (database) => {
  it('times requests by route pattern, method and status code: no ids, no queries; unmatched URLs share one label', async (t) => {
    const api = await buildTestApp(t, { metrics: { processMetrics: true } });
    const { compute } = await setUp(api);
    const id = await createEvent(api.store, { startAt: api.clock.now - HOUR, componentIds: [compute] });
    for (const url of ['/api/v1/incidents', '/api/v1/incidents?limit=3', `/incidents/${id}?from=feed`, `/api/v2/events/${id}`, '/api/v2/events/999999', '/no/such/page/42']) {
      await api.app.inject({ method: 'GET', url });
    }
    await sampledEventLoop();
    const families = await scrape(api);
    assert.equal(families[REQUESTS]?.type, 'histogram');
    assert.equal(countOf(families, REQUESTS, { route: '/api/v1/incidents', method: 'GET', status_code: '200' }), 2);
    assert.equal(countOf(families, REQUESTS, { route: '/incidents/:id', method: 'GET', status_code: '200' }), 1);
    assert.equal(countOf(families, REQUESTS, { route: '/api/v2/events/:eventId', method: 'GET', status_code: '200' }), 1);
    assert.equal(countOf(families, REQUESTS, { route: '/api/v2/events/:eventId', method: 'GET', status_code: '404' }), 1);
    assert.equal(countOf(families, REQUESTS, { route: 'unmatched', method: 'GET', status_code: '404' }), 1);
    const timed = sampleOf(families, REQUESTS, { route: '/api/v1/incidents', status_code: '200' });
    assert.equal(Number(timed.buckets?.['+Inf']), 2, 'every request falls in the last bucket');
    assert.ok(Number(timed.sum) > 0);
    for (const sample of seriesOf(families, REQUESTS)) assert.doesNotMatch(sample.labels.route ?? '', /\?|\/\d+(\/|$)/, 'a route pattern, never a URL');
    assert.ok(families.process_cpu_user_seconds_total && families.nodejs_eventloop_lag_seconds, "prom-client's process metrics");
  });

  it('counts monitoring reports by what the rules decided, with the write batches and lock waits behind them', async (t) => {
    const api = await buildTestApp(t, { metrics: {} });
    const { network, database, report, call } = await setUp(api);
    await createEvent(api.store, { type: 'maintenance', startAt: api.clock.now - HOUR, endAt: api.clock.now + HOUR, componentIds: [network] });
    const statuses = [];
    statuses.push((await report('Compute', 1)).statusCode); // opened
    statuses.push((await report('Compute', 1)).statusCode); // conflict
    statuses.push((await report('Storage', 1)).statusCode); // joined
    statuses.push((await report('Compute', 2)).statusCode); // moved: out of the shared incident into a new one
    statuses.push((await report('Compute', 3)).statusCode); // escalated: alone in its incident
    statuses.push((await report('Network', 2)).statusCode); // shielded by the maintenance
    statuses.push((await report('Nowhere', 2)).statusCode); // refused: no such component
    statuses.push((await report('Compute', 'maintenance')).statusCode); // refused: monitoring may not report it
    assert.deepEqual(statuses, [201, 409, 201, 201, 201, 201, 400, 400]);
    const v2 = (components: number[]) => call('POST', '/api/v2/events', { title: 'Down', impact: 2, components, start_date: new Date(api.clock.now).toISOString(), type: 'incident', system: true });
    assert.equal((await v2([database])).statusCode, 200);
    assert.equal((await v2([999_999])).statusCode, 400);

    const families = await scrape(api);
    const outcomes = Object.fromEntries(
      seriesOf(families, REPORTS).filter((sample) => Number(sample.value) > 0).map((sample) => [`${sample.labels.api} ${sample.labels.outcome}`, Number(sample.value)]),
    );
    assert.deepEqual(outcomes, { 'v1 opened': 1, 'v1 conflict': 1, 'v1 joined': 1, 'v1 moved': 1, 'v1 escalated': 1, 'v1 shielded': 1, 'v1 refused': 2, 'v2 opened': 1, 'v2 refused': 1 });
    assert.equal(valueOf(families, REPORTS, { api: 'v1', outcome: 'unavailable' }), 0, 'every outcome is there from the start');
    // Only the reports that change something reach the write lock (the preview answers the rest), one at a time here.
    const batches = sampleOf(families, 'status_dashboard_write_batch_items');
    assert.deepEqual([Number(batches.count), Number(batches.sum)], [5, 5]);
    assert.ok(countOf(families, 'status_dashboard_write_lock_wait_seconds') >= 5, 'every change waited for the lock, if only a moment');
    assert.equal(countOf(families, 'status_dashboard_read_model_load_seconds', { kind: 'initial' }), 1);
    assert.ok(countOf(families, 'status_dashboard_read_model_load_seconds', { kind: 'catch_up' }) >= 5);
  });

  it('counts active incidents by impact when scraped: they follow an incident opened and resolved', async (t) => {
    const api = await buildTestApp(t, { metrics: {} });
    const { report, call } = await setUp(api);
    const active = async () => {
      const families = await scrape(api);
      return ['minor', 'major', 'outage'].map((impact) => valueOf(families, ACTIVE, { impact }));
    };
    assert.deepEqual(await active(), [0, 0, 0]);
    const opened = await report('Compute', 2);
    assert.deepEqual(await active(), [0, 1, 0]);
    await report('Storage', 3);
    assert.deepEqual(await active(), [0, 1, 1]);
    const id = opened.json<{ id: number }>().id;
    api.clock.advance(MINUTE);
    const resolved = await call('PATCH', `/api/v2/events/${id}`, { status: 'resolved', message: 'Fixed', update_date: new Date(api.clock.now).toISOString() });
    assert.equal(resolved.statusCode, 200, resolved.body);
    assert.deepEqual(await active(), [0, 0, 1]);
  });

  it('asks for the bearer token of SD_METRICS_TOKEN when one is set, compared whatever its length', async (t) => {
    const api = await buildTestApp(t, { metrics: { token: TOKEN } });
    for (const authorization of [undefined, `Bearer ${TOKEN.slice(1)}`, `Bearer ${TOKEN}x`, `Bearer ${'x'.repeat(10_000)}`, `Basic ${TOKEN}`, TOKEN, api.auth]) {
      const response = await api.app.inject({ method: 'GET', url: '/metrics', headers: authorization === undefined ? {} : { authorization } });
      assert.equal(response.statusCode, 401, String(authorization).slice(0, 40));
      assert.equal(response.headers['www-authenticate'], 'Bearer realm="metrics"');
      assert.deepEqual(response.json(), { code: 401, message: 'Authorization: Bearer <SD_METRICS_TOKEN> is needed', status: 'Unauthorized' });
    }
    for (const authorization of [`Bearer ${TOKEN}`, `bearer ${TOKEN}`]) {
      assert.ok((await scrape(api, { authorization }))[REQUESTS], authorization.slice(0, 7));
    }
    const open = await buildTestApp(t, { metrics: {} });
    assert.ok((await scrape(open))[REQUESTS], 'without a token /metrics is open');
    const documented = (await open.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{ paths: Record<string, { get?: { responses: Record<string, { content: object }> } }> }>();
    assert.deepEqual(Object.keys(documented.paths['/metrics']?.get?.responses['200']?.content ?? {}), ['text/plain'], 'in the OpenAPI document');
    assert.deepEqual((await new Validator().validate(documented)).errors, undefined, 'which stays valid');
    const none = await buildTestApp(t);
    assert.equal((await none.app.inject({ method: 'GET', url: '/metrics' })).statusCode, 404, 'an app without metrics serves none');
  });

  it('counts webhook deliveries by outcome as a receiver answers them', async (t) => {
    const api = await buildTestApp(t, { metrics: {}, publicUrl: 'https://status.example.org' });
    const { report, call } = await setUp(api);
    const notifier = testNotifier(t, api);
    const receiver = await startWebhookReceiver(t);
    const hook = await call('POST', '/api/v2/webhooks', { url: receiver.url, format: 'json', scope: { place: { kind: 'region', region: 'EU-1' } } });
    assert.equal(hook.statusCode, 201, hook.body);
    const deliveries = async () => {
      const families = await scrape(api);
      return ['sent', 'failed'].map((outcome) => valueOf(families, DELIVERIES, { channel: 'webhook', outcome }));
    };
    assert.deepEqual(await deliveries(), [0, 0]);
    receiver.answer.status = 500;
    assert.equal((await report('Compute', 2)).statusCode, 201);
    await notifier.runOnce();
    assert.equal(receiver.received.length, 1);
    assert.deepEqual(await deliveries(), [0, 1], notifier.logged.join('\n'));
    receiver.answer.status = 204;
    api.clock.advance(30_000);
    await notifier.runOnce();
    assert.equal(receiver.received.length, 2);
    assert.deepEqual(await deliveries(), [1, 1], notifier.logged.join('\n'));
    assert.deepEqual(await deliveries(), [1, 1], 'scraping counts nothing');

    // News of another incident fails, then its webhook is disabled: the retry gives it up.
    const givenUp = async () => valueOf(await scrape(api), 'status_dashboard_notification_deliveries_given_up_total', { channel: 'webhook' });
    assert.equal(await givenUp(), 0);
    receiver.answer.status = 500;
    assert.equal((await report('Storage', 3)).statusCode, 201);
    await notifier.runOnce();
    assert.deepEqual(await deliveries(), [1, 2], notifier.logged.join('\n'));
    assert.equal((await call('PATCH', `/api/v2/webhooks/${hook.json<{ id: number }>().id}`, { enabled: false })).statusCode, 200);
    api.clock.advance(30_000);
    await notifier.runOnce();
    assert.equal(receiver.received.length, 3, 'nothing sent to a disabled webhook');
    assert.deepEqual(await deliveries(), [1, 3], 'not sent: failed');
    assert.equal(await givenUp(), 1, notifier.logged.join('\n'));
  });

  it('counts mails by outcome as an SMTP relay takes or refuses them', async (t) => {
    const api = await buildSubscriptionApp(t, { metrics: {} });
    await setUp(api);
    const smtp = await startSmtpServer(t);
    const notifier = mailNotifier(t, api, smtp.url);
    const mails = async () => {
      const families = await scrape(api);
      return ['sent', 'failed'].map((outcome) => valueOf(families, DELIVERIES, { channel: 'email', outcome }));
    };
    assert.equal((await postForm(api, '/subscribe', subscribeFields('first@example.org'))).statusCode, 200);
    await notifier.runOnce();
    assert.equal(smtp.mails.length, 1, 'the confirmation');
    assert.deepEqual(await mails(), [1, 0]);
    smtp.refuse.data = { code: 451, message: 'try again later' };
    assert.equal((await postForm(api, '/subscribe', subscribeFields('second@example.org'))).statusCode, 200);
    await notifier.runOnce();
    assert.deepEqual(await mails(), [1, 1]);
    assert.deepEqual(valueOf(await scrape(api), DELIVERIES, { channel: 'webhook', outcome: 'sent' }), 0);
  });

  it('shows reads answering from memory while the database is away, and 0 again once it is back', async (t) => {
    const { store } = await createTestDatabase(t);
    const database = switchable(store);
    t.after(() => database.store.health.close());
    const api = await buildTestApp(t, { store: database.store, metrics: {} });
    const { report } = await setUp(api);
    assert.equal(valueOf(await scrape(api), 'status_dashboard_reads_stale'), 0);
    assert.equal((await report('Compute', 2)).statusCode, 201);
    database.goAway();
    const away = await scrape(api);
    assert.equal(valueOf(away, 'status_dashboard_reads_stale'), 1);
    assert.equal(valueOf(away, ACTIVE, { impact: 'major' }), 1, 'the gauges answer from memory too');
    assert.equal((await report('Compute', 3)).statusCode, 503);
    assert.equal(valueOf(await scrape(api), REPORTS, { api: 'v1', outcome: 'unavailable' }), 1);
    database.comeBack();
    database.store.health.markUp();
    assert.equal(valueOf(await scrape(api), 'status_dashboard_reads_stale'), 0);
  });

  it('counts a write that waited too long for the lock as a busy database, and its report as unavailable', async (t) => {
    const { store } = await createTestDatabase(t);
    const impatient = { ...store, timeouts: { ...store.timeouts, lockMs: 100 } };
    const api = await buildTestApp(t, { store: impatient, metrics: {} });
    const { report } = await setUp(api);
    // The read model current first: the report's preview then needs no query while the lock is held.
    assert.equal((await api.app.inject({ method: 'GET', url: '/api/v1/incidents' })).statusCode, 200);
    let release: () => void = () => undefined;
    const holding = withWriteTransaction(impatient, () => new Promise<void>((resolve) => (release = resolve)));
    const waiting = report('Compute', 2);
    // Long enough for the report to reach the queue behind it, on a loaded machine too.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    release();
    await holding;
    assert.equal((await waiting).statusCode, 503);
    const families = await scrape(api);
    assert.equal(valueOf(families, 'status_dashboard_database_errors_total', { kind: 'busy', operation: 'write' }), 1);
    assert.equal(valueOf(families, 'status_dashboard_database_errors_total', { kind: 'unreachable', operation: 'write' }), 0);
    assert.equal(valueOf(families, REPORTS, { api: 'v1', outcome: 'unavailable' }), 1);
  });

  it(
    'counts a version check the database did not answer in time as a busy read, and answers from memory meanwhile',
    { skip: database.dialect === 'postgres' ? false : 'PostgreSQL only: a SQLite check never waits on a lock' },
    async (t) => {
      const { url } = await createTestDatabase(t);
      const store = openStore(url, { connectMs: 5_000, statementMs: 1_000, lockMs: 1_000 });
      t.after(() => store.close());
      const api = await buildTestApp(t, { store, metrics: {} });
      assert.equal((await api.app.inject({ method: 'GET', url: '/api/v1/incidents' })).headers['x-stale-as-of'], undefined);
      // Another session holds the state table: the version check waits out its statement timeout.
      const blocker = new pg.Client({ connectionString: url });
      await blocker.connect();
      t.after(() => blocker.end());
      await blocker.query('begin; lock table state in access exclusive mode');
      const stale = await api.app.inject({ method: 'GET', url: '/api/v1/incidents' });
      await blocker.query('rollback');
      assert.ok(stale.headers['x-stale-as-of'], 'answered from memory');
      const families = await scrape(api);
      assert.equal(valueOf(families, 'status_dashboard_database_errors_total', { kind: 'busy', operation: 'read' }), 1);
      assert.equal(valueOf(families, 'status_dashboard_database_errors_total', { kind: 'unreachable', operation: 'read' }), 0);
    },
  );

  it('has a Grafana dashboard (docs/grafana-dashboard.json) whose every query names a metric /metrics exposes', async (t) => {
    const api = await buildTestApp(t, { metrics: { processMetrics: true } });
    await sampledEventLoop();
    const families = await scrape(api);
    const dashboard = JSON.parse(readFileSync(new URL('../../docs/grafana-dashboard.json', import.meta.url), 'utf8')) as {
      schemaVersion: number;
      title: string;
      templating: { list: { name: string; type: string; query: string }[] };
      panels: { title: string; type: string; datasource?: { uid?: string }; targets?: { expr: string }[] }[];
    };
    assert.ok(Number.isInteger(dashboard.schemaVersion) && dashboard.schemaVersion >= 36);
    assert.ok(dashboard.templating.list.some((variable) => variable.name === 'datasource' && variable.type === 'datasource' && variable.query === 'prometheus'));
    const queried = new Set<string>();
    const graphs = dashboard.panels.filter((panel) => panel.type !== 'row');
    assert.ok(graphs.length >= 10, `${graphs.length} panels`);
    for (const panel of graphs) {
      assert.equal(panel.datasource?.uid, '${datasource}', `${panel.title}: the chosen data source`);
      assert.ok(panel.targets && panel.targets.length > 0, `${panel.title} queries something`);
      for (const { expr } of panel.targets) for (const [name] of expr.matchAll(/\b(?:status_dashboard|process|nodejs)_[a-z0-9_]+/g)) queried.add(name);
    }
    const exposed = (name: string) => name in families || name.replace(/_(bucket|sum|count)$/, '') in families;
    assert.deepEqual([...queried].filter((name) => !exposed(name)), []);
    const ours = Object.keys(families).filter((name) => name.startsWith('status_dashboard_'));
    assert.deepEqual(ours.filter((name) => ![...queried].some((query) => query.startsWith(name))), [], 'the dashboard shows every metric of ours');
  });
});
