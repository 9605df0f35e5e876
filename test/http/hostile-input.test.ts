// Issue 15, findings 5, 6, 7 and 12: dates, texts and ids that clients send. Each test states what
// a hostile or careless client sent and what it gets now: a 4xx naming the problem, nothing written.
import assert from 'node:assert/strict';
import { it, type TestContext } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { LightMyRequestResponse } from 'fastify';
import { oidcProvider } from '../../src/auth/oidc-login.js';
import { findEvent } from '../../src/storage/events.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { DAY, HOUR, MINUTE } from '../helpers/clock.js';
import { describeEachDatabase } from '../helpers/database.js';
import { createComponents, createEvent } from '../helpers/factories.js';
import { startOidcProvider } from '../helpers/oidc-provider.js';
import { logInOperator } from '../helpers/operator.js';
import { XSS } from '../helpers/pages.js';
import { databaseOf } from '../../src/storage/database-of.js';

const iso = (ms: number) => new Date(ms).toISOString();
/** `datetime-local` text of an instant in UTC. */
const local = (at: number) => new Date(at).toISOString().slice(0, 19);

async function cloud(t: TestContext) {
  const api = await buildTestApp(t);
  const [component] = await createComponents(api.store, { 'Elastic Cloud Server': { region: 'EU-DE', category: 'Compute', type: 'ecs' } });
  if (!component) throw new Error('component not created');
  return { api, component };
}

/** Every row a write could leave: a refusal must leave these counts as they were. */
async function rowCounts(api: TestApp): Promise<number[]> {
  const tables = ['event', 'event_update', 'event_component', 'audit_log'] as const;
  return Promise.all(
    tables.map(async (table) => Number((await databaseOf(api.store).selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)),
  );
}

const v2 = (api: TestApp, method: 'POST' | 'PATCH', url: string, payload: unknown) =>
  api.app.inject({ method, url, headers: { authorization: api.auth }, payload: payload as object });

function assertV2Refusal(response: LightMyRequestResponse, field: RegExp) {
  assert.equal(response.statusCode, 400, response.body);
  const body = response.json<{ errMsg: string }>();
  assert.deepEqual(Object.keys(body), ['errMsg']);
  assert.match(body.errMsg, field);
}

describeEachDatabase('dates that do not exist', () => {
  for (const [what, date] of [
    ['a leap second', '2026-06-30T23:59:60Z'],
    ['February 30', '2026-02-30T10:00:00Z'],
    ['month 13', '2026-13-01T10:00:00Z'],
    ['hour 24', '2026-03-11T24:00:00Z'],
    ['no zone', '2026-03-11T10:00:00'],
    ['no seconds', '2026-03-11T10:00Z'],
  ] as const) {
    it(`refuses a maintenance whose end_date is ${what} with 400 and writes nothing`, async (t) => {
      const { api, component } = await cloud(t);
      const before = await rowCounts(api);
      const response = await v2(api, 'POST', '/v2/events', {
        title: 'Upgrade',
        impact: 0,
        type: 'maintenance',
        components: [component.id],
        start_date: iso(api.clock.now + HOUR),
        end_date: date,
      });
      assertV2Refusal(response, /end_date/);
      assert.deepEqual(await rowCounts(api), before);
    });
  }

  it('refuses a PATCH that would remove a maintenance’s end through a leap second, and keeps the end', async (t) => {
    const { api, component } = await cloud(t);
    const start = api.clock.now + HOUR;
    const id = await createEvent(api.store, { type: 'maintenance', startAt: start, endAt: start + HOUR, status: 'planned', componentIds: [component.id] });
    const response = await v2(api, 'PATCH', `/v2/events/${id}`, { status: 'modified', message: 'later', update_date: iso(api.clock.now), end_date: '2026-06-30T23:59:60Z' });
    assertV2Refusal(response, /end_date/);
    assert.equal((await findEvent(databaseOf(api.store), id))?.endAt, start + HOUR);
  });

  it('refuses list filters that name no real moment with the filter error', async (t) => {
    const { api } = await cloud(t);
    for (const date of ['2026-02-30T00:00:00Z', '2026-06-30T23:59:60Z', '0000-01-01T00:00:00Z']) {
      const response = await api.app.inject({ method: 'GET', url: `/v2/events?start_date=${encodeURIComponent(date)}` });
      assert.equal(response.statusCode, 400, date);
    }
  });

  it('refuses an operator form date outside the years the dashboard knows, and writes nothing', async (t) => {
    const { api, component } = await cloud(t);
    const operator = await logInOperator(api);
    const before = await rowCounts(api);
    const response = await operator.post('/incidents', {
      type: 'maintenance',
      title: 'Database upgrade',
      start: local(api.clock.now + HOUR),
      end: '9999-12-31T00:00',
      timezone: 'UTC',
      components: String(component.id),
    });
    assert.equal(response.statusCode, 400);
    assert.match(response.body, /Not a valid datetime value\./);
    assert.deepEqual(await rowCounts(api), before);
  });
});

describeEachDatabase('API v2 update dates', () => {
  async function openIncident(t: TestContext) {
    const { api, component } = await cloud(t);
    const id = await createEvent(api.store, { impact: 1, startAt: api.clock.now - DAY, status: 'detected', componentIds: [component.id] });
    return { api, component, id };
  }

  for (const date of ['0000-01-01T00:00:00Z', '9999-12-31T00:00:00Z']) {
    it(`refuses an update_date of ${date.slice(0, 4)} with 400 and changes nothing`, async (t) => {
      const { api, id } = await openIncident(t);
      const before = await findEvent(databaseOf(api.store), id);
      const response = await v2(api, 'PATCH', `/v2/events/${id}`, { status: 'analysing', message: 'looking', update_date: date });
      assertV2Refusal(response, /update_date/);
      assert.deepEqual(await findEvent(databaseOf(api.store), id), before);
    });
  }

  it('refuses to resolve an incident in the future, so monitoring can still report its components', async (t) => {
    const { api, component, id } = await openIncident(t);
    const before = await rowCounts(api);
    const response = await v2(api, 'PATCH', `/v2/events/${id}`, { status: 'resolved', message: 'fixed', update_date: iso(api.clock.now + HOUR) });
    assertV2Refusal(response, /future/);
    assert.deepEqual(await rowCounts(api), before);
    assert.equal((await findEvent(databaseOf(api.store), id))?.endAt, null);
    // Resolved now, the component is free: monitoring opens a new incident for it.
    assert.equal((await v2(api, 'PATCH', `/v2/events/${id}`, { status: 'resolved', message: 'fixed', update_date: iso(api.clock.now) })).statusCode, 200);
    assert.equal((await api.postStatus({ name: component.name, impact: 1, attributes: [{ name: 'region', value: 'EU-DE' }] })).statusCode, 201);
  });

  it('refuses a closed incident’s new end in the future', async (t) => {
    const { api, component } = await cloud(t);
    const id = await createEvent(api.store, { impact: 1, startAt: api.clock.now - DAY, endAt: api.clock.now - HOUR, status: 'resolved', componentIds: [component.id] });
    const response = await v2(api, 'PATCH', `/v2/events/${id}`, { status: 'changed', message: 'dates', update_date: iso(api.clock.now), end_date: '2099-01-01T00:00:00Z' });
    assertV2Refusal(response, /future/);
    assert.equal((await findEvent(databaseOf(api.store), id))?.endAt, api.clock.now - HOUR);
  });

  it('accepts the front end’s dates (toISOString) from a browser clock a little ahead of the server', async (t) => {
    const { api, id } = await openIncident(t);
    const ahead = api.clock.now + MINUTE;
    const response = await v2(api, 'PATCH', `/v2/events/${id}`, { status: 'analysing', message: 'looking', update_date: new Date(ahead).toISOString() });
    assert.equal(response.statusCode, 200, response.body);
  });
});

describeEachDatabase('feed titles are text', () => {
  it('serves an Atom title with markup as text, never as HTML', async (t) => {
    const { api, component } = await cloud(t);
    await createEvent(api.store, { title: XSS, impact: 1, startAt: api.clock.now - HOUR, componentIds: [component.id] });
    const body = (await api.app.inject({ method: 'GET', url: '/feeds/atom.xml' })).body;
    assert.equal(XMLValidator.validate(body), true);
    assert.ok(!body.includes('<img'), 'no raw HTML anywhere');
    // No type attribute: Atom's default, text.
    const entry = new XMLParser({ ignoreAttributes: false }).parse(body).feed.entry as { title: unknown };
    assert.equal(entry.title, XSS);
  });

  it('keeps a title with two ]]> inside its title element in RSS and Atom', async (t) => {
    const { api, component } = await cloud(t);
    const title = `a]]>b]]>${XSS}`;
    await createEvent(api.store, { title, impact: 1, startAt: api.clock.now - HOUR, componentIds: [component.id] });
    for (const url of ['/feeds/rss.xml', '/feeds/atom.xml']) {
      const body = (await api.app.inject({ method: 'GET', url })).body;
      assert.equal(XMLValidator.validate(body), true, url);
      assert.ok(!body.includes('<img'), url);
    }
  });
});

describeEachDatabase('control characters in texts', () => {
  it('refuses a v1 report whose title has U+0000 with 400 naming the field, and writes nothing', async (t) => {
    const { api, component } = await cloud(t);
    const before = await rowCounts(api);
    const response = await api.postStatus({ name: component.name, impact: 1, text: 'Down\u0000', attributes: [{ name: 'region', value: 'EU-DE' }] });
    assert.equal(response.statusCode, 400, response.body);
    const body = response.json<{ code: number; message: string; status: string }>();
    assert.deepEqual([body.code, body.status], [400, 'Bad Request']);
    assert.match(body.message, /^text: .*U\+0000/);
    assert.deepEqual(await rowCounts(api), before);
  });

  it('names the path of a bad string inside a list', async (t) => {
    const { api, component } = await cloud(t);
    const response = await api.postStatus({ name: component.name, impact: 1, attributes: [{ name: 'region', value: 'EU\u001bDE' }] });
    assert.equal(response.statusCode, 400, response.body);
    assert.match(response.json<{ message: string }>().message, /^attributes\/0\/value: .*U\+001B/);
  });

  for (const [what, title] of [
    ['U+0000', 'Down\u0000'],
    ['a backspace', 'Down\b'],
    ['a lone surrogate', 'Down\ud800'],
    ['U+FFFE', 'Down\ufffe'],
    ['U+FFFF', 'Down\uffff'],
  ] as const) {
    it(`refuses a v2 title with ${what} with {"errMsg"} naming it, and writes nothing`, async (t) => {
      const { api, component } = await cloud(t);
      const before = await rowCounts(api);
      const response = await v2(api, 'POST', '/v2/events', { title, impact: 1, type: 'incident', components: [component.id], start_date: iso(api.clock.now) });
      assertV2Refusal(response, /^title: /);
      assert.deepEqual(await rowCounts(api), before);
    });
  }

  it('keeps tabs and the CRLF line ends browsers send from text areas', async (t) => {
    const { api, component } = await cloud(t);
    const response = await v2(api, 'POST', '/v2/events', {
      title: 'Down\tagain',
      description: 'First line\r\nsecond line\n',
      impact: 1,
      type: 'incident',
      components: [component.id],
      start_date: iso(api.clock.now),
    });
    assert.equal(response.statusCode, 200, response.body);
  });

  it('refuses a v2 update message with a control character', async (t) => {
    const { api, component } = await cloud(t);
    const id = await createEvent(api.store, { impact: 1, startAt: api.clock.now - DAY, status: 'detected', componentIds: [component.id] });
    const response = await v2(api, 'PATCH', `/v2/events/${id}`, { status: 'analysing', message: 'looking\u0007', update_date: iso(api.clock.now) });
    assertV2Refusal(response, /^message: /);
  });

  it('refuses U+0000 sent to /auth with {"errMsg"}, not 500', async (t) => {
    const { issuer } = await startOidcProvider(t);
    const api = await buildTestApp(t, { login: oidcProvider({ issuer, clientId: 'status-dashboard', clientSecret: 'secret', allowHttp: true }) });
    const response = await api.app.inject({ method: 'POST', url: '/auth/token', payload: { code_verifier: 'verifier\u0000' } });
    assert.deepEqual([response.statusCode, response.json()], [400, { errMsg: 'code_verifier: must not contain U+0000' }]);
  });

  it('refuses U+0000 in the operator login form with 400, not 500', async (t) => {
    const api = await buildTestApp(t);
    const form = await api.app.inject({ method: 'GET', url: '/login' });
    const nonce = (form.cookies as { name: string; value: string }[]).find((cookie) => cookie.name === 'sd_login_csrf')?.value ?? '';
    const csrf = /name="csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
    const response = await api.app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `sd_login_csrf=${nonce}` },
      payload: new URLSearchParams({ csrf, username: 'alice\u0000', password: 'secret' }).toString(),
    });
    assert.equal(response.statusCode, 400, response.body);
    assert.match(response.json<{ message: string }>().message, /^username: /);
  });

  it('refuses U+0000 in the audit filter with 400 naming actor, not 500', async (t) => {
    const { api } = await cloud(t);
    const operator = await logInOperator(api);
    const response = await operator.get('/audit?actor=%00');
    assert.equal(response.statusCode, 400, response.body);
    // A browser asked: the answer is a page that says what was wrong.
    assert.match(response.headers['content-type'] as string, /^text\/html/);
    assert.match(response.body, /<p>actor: /);
  });

  it('refuses a control character in an operator form, and writes nothing', async (t) => {
    const { api, component } = await cloud(t);
    const operator = await logInOperator(api);
    const before = await rowCounts(api);
    const response = await operator.post('/incidents', {
      type: 'incident',
      title: 'Servers do not\u0000start',
      impact: 'major',
      start: local(api.clock.now - 10 * MINUTE),
      timezone: 'UTC',
      components: String(component.id),
    });
    assert.equal(response.statusCode, 400, response.body);
    assert.match(response.json<{ message: string }>().message, /^title: /);
    assert.deepEqual(await rowCounts(api), before);
  });

  it('refuses a badge label with a control character', async (t) => {
    const { api } = await cloud(t);
    const response = await api.app.inject({ method: 'GET', url: '/badge.svg?label=a%00b' });
    assert.equal(response.statusCode, 400, response.body);
    assert.match(response.json<{ message: string }>().message, /^label: /);
  });
});

describeEachDatabase('feeds of texts stored before the check', (database) => {
  it('keeps feeds well-formed when a stored title has characters XML forbids', async (t) => {
    const { api, component } = await cloud(t);
    // PostgreSQL never stored U+0000 (it refused it with a 500); SQLite did.
    const title = `Down${database.dialect === 'sqlite' ? '\u0000' : ''}\u0008\uffff now`;
    await createEvent(api.store, { title, impact: 1, startAt: api.clock.now - HOUR, componentIds: [component.id] });
    for (const url of ['/feeds/rss.xml', '/feeds/atom.xml', '/rss/?mt=EU-DE']) {
      const body = (await api.app.inject({ method: 'GET', url })).body;
      assert.equal(XMLValidator.validate(body), true, url);
      assert.ok(body.includes('<title>Down now</title>'), url);
    }
    const json = (await api.app.inject({ method: 'GET', url: '/feeds/feed.json' })).json<{ items: { title: string }[] }>();
    assert.equal(json.items[0]?.title, 'Down now');
  });
});

describeEachDatabase(`ids beyond the database's integers`, () => {
  const BEYOND = '2147483648';
  const HUGE = '999999999999999';

  it('answers an operator update of event 999999999999999 with 404, not 500', async (t) => {
    const { api } = await cloud(t);
    const operator = await logInOperator(api);
    for (const id of [HUGE, BEYOND]) {
      const update = await operator.post(`/incidents/${id}`, { status: 'analyzing', title: 'Servers do not start', text: 'Still looking into it', date: local(api.clock.now), timezone: 'UTC' });
      assert.equal(update.statusCode, 404, `${id}: ${update.body.slice(0, 200)}`);
      for (const url of [`/incidents/${id}/separate`, `/incidents/${id}/updates/0`]) {
        const response = await operator.post(url, { component: '1', text: 'A corrected entry' });
        assert.equal(response.statusCode, 404, `${url}: ${response.body.slice(0, 200)}`);
      }
    }
  });

  it('answers a service id beyond the range in the operator forms with 400, not 500', async (t) => {
    const { api, component } = await cloud(t);
    const operator = await logInOperator(api);
    const id = await createEvent(api.store, { impact: 1, startAt: api.clock.now - DAY, status: 'detected', componentIds: [component.id] });
    const separate = await operator.post(`/incidents/${id}/separate`, { component: BEYOND });
    assert.equal(separate.statusCode, 400, separate.body.slice(0, 200));
    const open = await operator.post('/incidents', {
      type: 'incident',
      title: 'Servers do not start',
      impact: 'major',
      start: local(api.clock.now - MINUTE),
      timezone: 'UTC',
      components: [String(component.id), HUGE],
    });
    assert.equal(open.statusCode, 400, open.body.slice(0, 200));
  });

  it('answers a v2 extraction of a component beyond the range with 400, not 500', async (t) => {
    const { api, component } = await cloud(t);
    const id = await createEvent(api.store, { impact: 1, startAt: api.clock.now - DAY, status: 'detected', componentIds: [component.id] });
    const response = await v2(api, 'POST', `/v2/events/${id}/extract`, { components: [Number(BEYOND)] });
    assert.equal(response.statusCode, 400, response.body);
  });

  it('answers audit page links with an entry id beyond the range with 400, not 500', async (t) => {
    const { api } = await cloud(t);
    const operator = await logInOperator(api);
    const response = await operator.get(`/audit?before=1767225600000.${BEYOND}`);
    assert.equal(response.statusCode, 400, response.body.slice(0, 200));
  });

  it('answers pages, badges and API v2 with 404 or 400 for such ids', async (t) => {
    const { api } = await cloud(t);
    for (const [url, status] of [
      [`/incidents/${HUGE}`, 404],
      [`/badge/component/${BEYOND}.svg`, 404],
      [`/v2/events/${BEYOND}`, 400],
      [`/v2/components/${BEYOND}`, 400],
      [`/v2/events?components=${BEYOND}`, 400],
    ] as const) {
      assert.equal((await api.app.inject({ method: 'GET', url })).statusCode, status, url);
    }
  });
});
