// What operators do to events from the pages (issue 5; reference v1 §4.6–§4.8), over HTTP on the
// test's database. The rules' every branch is unit-tested in test/domain/operator-forms.test.ts;
// here each kind of action and refusal goes through the routes, the transaction and the pages.
import assert from 'node:assert/strict';
import { it, type TestContext } from 'node:test';
import type { Component } from '../../src/domain/component.js';
import { findEvent } from '../../src/storage/events.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { HOUR, MINUTE } from '../helpers/clock.js';
import { describeEachDatabase } from '../helpers/database.js';
import { createComponents } from '../helpers/factories.js';
import { logInOperator, type OperatorClient } from '../helpers/operator.js';
import { htmlPage, XSS, XSS_ESCAPED } from '../helpers/pages.js';
import { databaseOf } from '../../src/storage/database-of.js';

interface Setup {
  test: TestApp;
  operator: OperatorClient;
  compute: Component;
  storage: Component;
}

async function setUp(t: TestContext): Promise<Setup> {
  const test = await buildTestApp(t);
  const [compute, storage] = await createComponents(test.store, {
    'Elastic Cloud Server': { region: 'EU-DE', category: 'Compute', type: 'ecs' },
    'Object Storage Service': { region: 'EU-DE', category: 'Storage', type: 'obs' },
  });
  if (!compute || !storage) throw new Error('components not created');
  return { test, operator: await logInOperator(test), compute, storage };
}

/** `datetime-local` text of an instant in UTC. */
const local = (at: number) => new Date(at).toISOString().slice(0, 19);

const eventIdOf = (location: unknown) => Number(/^\/incidents\/(\d+)$/.exec(String(location))?.[1]);

async function openIncident({ test, operator, compute, storage }: Setup, fields: Record<string, string | string[]> = {}): Promise<number> {
  const response = await operator.post('/incidents', {
    type: 'incident',
    title: 'Servers do not start',
    impact: 'major',
    start: local(test.clock.read() - 10 * MINUTE),
    timezone: 'UTC',
    components: [String(compute.id), String(storage.id)],
    ...fields,
  });
  assert.equal(response.statusCode, 303, response.body);
  return eventIdOf(response.headers.location);
}

async function countEvents(test: TestApp): Promise<number> {
  const row = await databaseOf(test.store).selectFrom('event').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
  return Number(row.count);
}

describeEachDatabase('operators open events', () => {
  it('shows the form: kinds, impacts, services by region and category, a zone selector, the session token', async (t) => {
    const { operator } = await setUp(t);
    const response = await operator.get('/incidents');
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['cache-control'], 'private, no-store');
    const page = response.body;
    assert.match(page, new RegExp(`name="csrf" value="${operator.csrf}"`));
    for (const type of ['incident', 'maintenance', 'info']) assert.match(page, new RegExp(`name="type" value="${type}"`));
    assert.match(page, /<legend>EU-DE<\/legend>/);
    assert.match(page, /<legend>Compute<\/legend>/);
    assert.match(page, /<option value="Europe\/Berlin">/);
    assert.match(page, /data-zone-select="browser"/);
  });

  it('opens an incident on two services, its start read in the chosen zone, attributed to the operator', async (t) => {
    const setup = await setUp(t);
    const { test, operator, compute, storage } = setup;
    // 2026-03-10 12:50 in Berlin (UTC+1 in March) is 11:50 UTC, ten minutes before the test clock.
    const id = await openIncident(setup, { start: '2026-03-10T12:50', timezone: 'Europe/Berlin' });
    const event = await findEvent(databaseOf(test.store), id);
    assert.ok(event);
    assert.equal(event.type, 'incident');
    assert.equal(event.impact, 2);
    assert.equal(event.system, false);
    assert.equal(event.startAt, Date.parse('2026-03-10T11:50:00Z'));
    assert.deepEqual(event.componentIds, [compute.id, storage.id]);
    assert.equal(event.updates[0]?.author, 'local:alice');
    const audit = await databaseOf(test.store).selectFrom('audit_log').select(['actor', 'action']).where('entity', '=', 'event').where('entity_id', '=', id).execute();
    assert.ok(audit.length > 0 && audit.every((row) => row.actor === 'local:alice'));

    const page = await operator.get(`/incidents/${id}`);
    assert.match(page.body, /Servers do not start/);
    assert.match(page.body, / · by alice/);
    const front = await htmlPage(test, '/');
    assert.match(front, /Servers do not start/);
  });

  it('takes the services over from the incident monitoring opened for them', async (t) => {
    const setup = await setUp(t);
    const { test, compute } = setup;
    assert.equal((await test.postStatus({ name: compute.name, impact: 1, attributes: [{ name: 'region', value: 'EU-DE' }] })).statusCode, 201);
    const [monitoring] = await databaseOf(test.store).selectFrom('event').select('id').execute();
    const id = await openIncident(setup, { components: String(compute.id) });
    const old = await findEvent(databaseOf(test.store), Number(monitoring?.id));
    assert.notEqual(old?.endAt, null, 'the emptied monitoring incident is closed');
    assert.match(old?.updates[0]?.text ?? '', new RegExp(`moved to <a href='/incidents/${id}'>`));
  });

  it('plans a maintenance with a window and a notice without an end', async (t) => {
    const { test, operator, compute } = await setUp(t);
    const start = test.clock.read() + 2 * HOUR;
    const maintenance = await operator.post('/incidents', {
      type: 'maintenance',
      title: 'Database upgrade',
      description: 'Short interruptions of writes.',
      contact_email: 'dba@example.org',
      start: local(start),
      end: local(start + HOUR),
      timezone: 'UTC',
      components: String(compute.id),
    });
    assert.equal(maintenance.statusCode, 303, maintenance.body);
    const planned = await findEvent(databaseOf(test.store), eventIdOf(maintenance.headers.location));
    assert.equal(planned?.type, 'maintenance');
    assert.equal(planned?.impact, 0);
    assert.equal(planned?.endAt, start + HOUR);
    assert.equal(planned?.description, 'Short interruptions of writes.');

    const notice = await operator.post('/incidents', { type: 'info', title: 'New region opens', start: local(start), timezone: 'UTC', components: String(compute.id) });
    assert.equal(notice.statusCode, 303, notice.body);
    const info = await findEvent(databaseOf(test.store), eventIdOf(notice.headers.location));
    assert.equal(info?.type, 'info');
    assert.equal(info?.endAt, null);
  });

  it('refuses a bad form with its values and a message per field, and writes nothing', async (t) => {
    const { test, operator, compute } = await setUp(t);
    const now = test.clock.read();
    const cases: [string, Record<string, string | string[]>, RegExp, number][] = [
      ['a short title', { title: 'Short' }, /Field must be between 8 and 200 characters long\./, 400],
      ['no service', { components: [] }, /Choose at least one service\./, 400],
      ['an unknown service', { components: '999' }, /Not a valid choice\./, 400],
      ['an incident starting later', { start: local(now + HOUR) }, /Start date of incident cannot be in the future/, 400],
      ['a maintenance without an end', { type: 'maintenance', start: local(now + HOUR) }, /This field is required\./, 400],
      ['a window ending before it starts', { type: 'maintenance', start: local(now + 2 * HOUR), end: local(now + HOUR) }, /Start date cannot be later than or equal to the end date/, 400],
      ['an unknown zone', { timezone: 'Mars/Olympus' }, /Not a valid choice\./, 400],
      ['an unreadable date', { start: '2026-02-30T10:00' }, /Not a valid datetime value\./, 400],
      ['an unknown kind', { type: 'outage' }, /Not a valid choice\./, 400],
      ['a missing session token', { csrf: '' }, /The form had expired or did not come from this site/, 403],
      ['a session token of another session', { csrf: 'x'.repeat(32) }, /The form had expired or did not come from this site/, 403],
    ];
    for (const [what, fields, message, status] of cases) {
      const response = await operator.post('/incidents', {
        type: 'incident',
        title: 'A title long enough',
        impact: 'minor',
        start: local(now - MINUTE),
        timezone: 'UTC',
        components: String(compute.id),
        ...fields,
      });
      assert.equal(response.statusCode, status, what);
      assert.match(response.body, message, what);
      assert.match(response.body, /Nothing was changed\./, what);
    }
    const kept = await operator.post('/incidents', { type: 'incident', title: XSS, impact: 'minor', start: local(now - MINUTE), timezone: 'UTC', components: String(compute.id) });
    assert.equal(kept.statusCode, 303, 'any text makes a title');
    const shown = await htmlPage(test, String(kept.headers.location));
    assert.ok(!shown.includes(XSS) && shown.includes(XSS_ESCAPED), 'the title shows as text');
    assert.equal(await countEvents(test), 1, 'only the last (valid) form opened an event');
  });
});

describeEachDatabase('operators run events', () => {
  it('posts updates through an incident life: analyzing, impact changed, resolved back-dated, reopened, changed', async (t) => {
    const setup = await setUp(t);
    const { test, operator } = setup;
    const id = await openIncident(setup);
    const now = test.clock.read();
    const post = (fields: Record<string, string>) => operator.post(`/incidents/${id}`, { title: 'Servers do not start', text: 'We are looking into it now.', timezone: 'UTC', ...fields });

    let response = await post({ status: 'analyzing', date: local(now - 5 * MINUTE) });
    assert.equal(response.statusCode, 303, response.body);
    response = await post({ status: 'impact changed', impact: 'outage', date: local(now - 4 * MINUTE), text: 'Every server is down now.' });
    assert.equal(response.statusCode, 303, response.body);
    assert.equal((await findEvent(databaseOf(test.store), id))?.impact, 3);

    response = await post({ status: 'resolved', date: local(now - 2 * MINUTE), text: 'Servers start again normally.' });
    assert.equal(response.statusCode, 303, response.body);
    assert.equal((await findEvent(databaseOf(test.store), id))?.endAt, now - 2 * MINUTE);

    response = await post({ status: 'reopened', impact: 'minor', text: 'Some servers fail again.' });
    assert.equal(response.statusCode, 303, response.body);
    let event = await findEvent(databaseOf(test.store), id);
    assert.equal(event?.endAt, null);
    assert.equal(event?.impact, 1);

    await post({ status: 'resolved', text: 'Fixed for good this time.' });
    // The new end must come after the reopening: an hour later, the operator says it ended at :05.
    test.clock.advance(HOUR);
    response = await post({ status: 'changed', date: local(now + 5 * MINUTE), text: 'The end was earlier than said.' });
    assert.equal(response.statusCode, 303, response.body);
    event = await findEvent(databaseOf(test.store), id);
    assert.equal(event?.endAt, now + 5 * MINUTE);
    assert.deepEqual(
      event?.updates.map((update) => [update.status, update.author]),
      [
        ['changed', 'local:alice'],
        ['resolved', 'local:alice'],
        ['reopened', 'local:alice'],
        ['resolved', 'local:alice'],
        ['impact changed', 'local:alice'],
        ['analyzing', 'local:alice'],
        ['detected', 'local:alice'],
      ],
    );
    const history = await htmlPage(test, `/incidents/${id}`);
    assert.match(history, /The end was earlier than said\./);
  });

  it('refuses an update the rules forbid, shows why next to the form, and changes nothing', async (t) => {
    const setup = await setUp(t);
    const { test, operator } = setup;
    const id = await openIncident(setup);
    const before = await findEvent(databaseOf(test.store), id);
    const now = test.clock.read();
    const cases: [string, Record<string, string>, RegExp][] = [
      ['a date in the future', { status: 'fixing', date: local(now + HOUR) }, /The date cannot be in the future/],
      ['a date before the start', { status: 'fixing', date: local(now - HOUR) }, /The date cannot be before the start date/],
      ['no date', { status: 'fixing', date: '' }, /Update date cannot be empty/],
      ['a status closed incidents have', { status: 'reopened' }, /Not a valid choice\./],
      ['a short message', { status: 'fixing', date: local(now), text: 'short' }, /Field must be between 10 and 5000 characters long\./],
    ];
    for (const [what, fields, message] of cases) {
      const response = await operator.post(`/incidents/${id}`, { title: 'Servers do not start', text: 'We are looking into it now.', timezone: 'UTC', ...fields });
      assert.equal(response.statusCode, 400, what);
      assert.match(response.body, message, what);
      assert.match(response.body, /We are looking into it now\.|short/, `${what}: the form keeps its values`);
    }
    assert.deepEqual(await findEvent(databaseOf(test.store), id), before);
  });

  it('runs a maintenance: moves its window, then cancels it; a cancelled one offers no status', async (t) => {
    const { test, operator, compute } = await setUp(t);
    const start = test.clock.read() + 2 * HOUR;
    const opened = await operator.post('/incidents', {
      type: 'maintenance',
      title: 'Database upgrade',
      description: 'The database gets a new version.',
      contact_email: 'dba@example.org',
      start: local(start),
      end: local(start + HOUR),
      timezone: 'UTC',
      components: String(compute.id),
    });
    const id = eventIdOf(opened.headers.location);
    const page = await operator.get(`/incidents/${id}`);
    assert.match(page.body, /<option value="in progress">/);
    assert.match(page.body, /<option value="modified">/);
    assert.doesNotMatch(page.body, /<option value="completed">/, 'a maintenance that has not started cannot complete');

    const post = (fields: Record<string, string>) => operator.post(`/incidents/${id}`, { title: 'Database upgrade', text: 'The window moves by an hour.', timezone: 'UTC', ...fields });
    let response = await post({ status: 'modified', start: local(start + HOUR), end: local(start + 3 * HOUR) });
    assert.equal(response.statusCode, 303, response.body);
    assert.equal((await findEvent(databaseOf(test.store), id))?.startAt, start + HOUR);
    response = await post({ status: 'modified', start: local(start + 3 * HOUR), end: local(start + HOUR) });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /Start date cannot be later end date/);
    response = await post({ status: 'cancelled', text: 'The upgrade is not needed after all.' });
    assert.equal(response.statusCode, 303, response.body);
    assert.equal((await findEvent(databaseOf(test.store), id))?.status, 'cancelled');
    assert.match((await operator.get(`/incidents/${id}`)).body, /takes no more updates/);
  });

  it('corrects the text of an entry, named by its position from the oldest', async (t) => {
    const setup = await setUp(t);
    const { test, operator } = setup;
    const id = await openIncident(setup);
    assert.match((await operator.get(`/incidents/${id}`)).body, new RegExp(`action="/incidents/${id}/updates/0"`));
    const response = await operator.post(`/incidents/${id}/updates/0`, { text: `Servers fail to boot. ${XSS}` });
    assert.equal(response.statusCode, 303, response.body);
    const page = await htmlPage(test, `/incidents/${id}`);
    assert.ok(!page.includes(XSS) && page.includes('Servers fail to boot. &lt;img src=x'), 'the new text shows as text');
    assert.equal((await operator.post(`/incidents/${id}/updates/9`, { text: 'No such entry here.' })).statusCode, 404);
    assert.equal((await operator.post(`/incidents/${id}/updates/0`, { text: 'short' })).statusCode, 400);
  });

  it('separates a service into an incident of its own, but never the last one', async (t) => {
    const setup = await setUp(t);
    const { test, operator, compute, storage } = setup;
    const id = await openIncident(setup);
    assert.match((await operator.get(`/incidents/${id}`)).body, new RegExp(`aria-label="Separate ${storage.name} into its own incident"`));
    const response = await operator.post(`/incidents/${id}/separate`, { component: String(storage.id) });
    assert.equal(response.statusCode, 303, response.body);
    const separated = await findEvent(databaseOf(test.store), eventIdOf(response.headers.location));
    assert.deepEqual(separated?.componentIds, [storage.id]);
    assert.deepEqual((await findEvent(databaseOf(test.store), id))?.componentIds, [compute.id]);
    const refused = await operator.post(`/incidents/${id}/separate`, { component: String(compute.id) });
    assert.equal(refused.statusCode, 400);
    assert.match(refused.body, /keep at least one/);
  });

  it('shows readers no operator controls, and operators a private page', async (t) => {
    const setup = await setUp(t);
    const { test, operator } = setup;
    const id = await openIncident(setup);
    const publicPage = await test.app.inject({ method: 'GET', url: `/incidents/${id}`, headers: { accept: 'text/html' } });
    assert.doesNotMatch(publicPage.body, /<form[^>]+action="\/incidents/);
    assert.doesNotMatch(publicPage.body, / · by /);
    assert.equal(publicPage.headers['cache-control'], 'public, max-age=0, s-maxage=5, stale-if-error=86400');
    const operatorPage = await operator.get(`/incidents/${id}`);
    assert.equal(operatorPage.headers['cache-control'], 'private, no-store');
    assert.match(operatorPage.body, /Post an update/);
    assert.doesNotMatch(operatorPage.body, /data-live="on"/, 'an operator page never reloads itself under the form');
  });

  it('turns away every operator route without a session: 401 {"message":"Invalid token!"}, nothing written', async (t) => {
    const setup = await setUp(t);
    const { test } = setup;
    const id = await openIncident(setup);
    for (const [method, url] of [
      ['GET', '/incidents'],
      ['POST', '/incidents'],
      ['POST', `/incidents/${id}`],
      ['POST', `/incidents/${id}/updates/0`],
      ['POST', `/incidents/${id}/separate`],
    ] as const) {
      const response = await test.app.inject({ method, url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: method === 'POST' ? 'title=x' : undefined });
      assert.equal(response.statusCode, 401, `${method} ${url}`);
      assert.equal(response.body, '{"message":"Invalid token!"}');
    }
    assert.equal(await countEvents(test), 1);
  });
});
