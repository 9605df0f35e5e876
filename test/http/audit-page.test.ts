// The audit log page: operators only, filters, pages of 50, escaped text, 400 for bad filters.
import assert from 'node:assert/strict';
import { it, type TestContext } from 'node:test';
import { signApiToken } from '../../src/auth/api-tokens.js';
import type { AuditEntry } from '../../src/domain/audit.js';
import { writeAudit } from '../../src/storage/audit.js';
import { withWriteTransaction } from '../../src/storage/write-transaction.js';
import { AUDIT_PAGE_SIZE } from '../../src/domain/audit.js';
import { buildTestApp, TEST_PAYLOAD_KEY, TEST_SECRET, type TestApp } from '../helpers/app.js';
import { DAY, MINUTE } from '../helpers/clock.js';
import { describeEachDatabase } from '../helpers/database.js';
import { createComponents } from '../helpers/factories.js';
import { logInOperator, type OperatorClient } from '../helpers/operator.js';
import { XSS, XSS_ESCAPED } from '../helpers/pages.js';

interface Row {
  at: string;
  actor: string;
  action: string;
  which: string;
  /** the names of the fields the diff shows */
  changed: string[];
}

/** The table's rows as text: when (the machine-readable time), who, what, which, and the changed fields. */
function rowsOf(html: string): Row[] {
  const rows = [...html.matchAll(/<tr><td><time datetime="([^"]+)">[^<]*<\/time><\/td><td>([^<]*)<\/td><td>([^<]*)<\/td><td>(.*?)<\/td><td class="audit-changes">(.*?)<\/td><\/tr>/gs)];
  return rows.map(([, at = '', actor = '', action = '', which = '', changes = '']) => ({
    at,
    actor,
    action,
    which: which.replace(/<[^>]+>/g, ''),
    changed: [...changes.matchAll(/<dt>([^<]*)<\/dt>/g)].map((match) => match[1] ?? ''),
  }));
}

/** An href of the page, as a browser would follow it. */
function linkOf(html: string, rel: 'prev' | 'next'): string | undefined {
  const href = new RegExp(`<a href="([^"]+)" rel="${rel}">`).exec(html)?.[1];
  return href?.replace(/&amp;/g, '&');
}

async function auditPage(operator: OperatorClient, url: string): Promise<string> {
  const response = await operator.get(url);
  assert.equal(response.statusCode, 200, `${url}: ${response.body.slice(0, 300)}`);
  assert.match(String(response.headers['content-type']), /^text\/html/);
  assert.equal(response.headers['cache-control'], 'private, no-store');
  return response.body;
}

/** A cloud of two components, created by `test`. */
async function cloud(t: TestContext): Promise<TestApp> {
  const api = await buildTestApp(t);
  await createComponents(api.store, [
    ['Elastic Cloud Server', { region: 'EU-DE', category: 'Compute' }],
    ['Object Storage', { region: 'EU-NL', category: 'Storage' }],
  ]);
  return api;
}

/** The cloud and a logged-in operator (which the log records too). */
async function fixture(t: TestContext) {
  const api = await cloud(t);
  return { api, operator: await logInOperator(api) };
}

async function report(api: TestApp, subject: string, name: string, region: string, text = 'Degraded') {
  const token = await signApiToken({ secretKey: TEST_SECRET, payloadKey: TEST_PAYLOAD_KEY }, { subject });
  const response = await api.postStatus({ name, impact: 1, text, attributes: [{ name: 'region', value: region }] }, { authorization: `Bearer ${token}` });
  assert.equal(response.statusCode, 201, response.body);
  return (response.json() as { id: number }).id;
}

describeEachDatabase('the audit log page', () => {
  it('is for operators: 401 {"message":"Invalid token!"} without a session', async (t) => {
    const { app } = await buildTestApp(t);
    const response = await app.inject({ method: 'GET', url: '/audit', headers: { accept: 'text/html' } });
    assert.equal(response.statusCode, 401);
    assert.equal(response.body, '{"message":"Invalid token!"}');
    const anonymous = await app.inject({ method: 'GET', url: '/' });
    assert.doesNotMatch(anonymous.body, /href="\/audit"/, 'the menu offers it to operators only');
  });

  it('shows a status posted through API v1 under the token subject, newest first, with a link to the event', async (t) => {
    const { api, operator } = await fixture(t);
    api.clock.advance(MINUTE);
    const eventId = await report(api, 'probe-eu-de', 'Elastic Cloud Server', 'EU-DE', 'Servers slow');
    const html = await auditPage(operator, '/audit');
    const rows = rowsOf(html);
    const [latest] = rows;
    assert.ok(latest);
    const { changed, ...opened } = latest;
    assert.deepEqual(opened, { at: new Date(api.clock.now).toISOString(), actor: 'api:probe-eu-de', action: 'event.open', which: `event ${eventId}` });
    assert.ok(changed.includes('title') && changed.includes('impact'), 'an opening shows every field');
    assert.ok(rows.some((row) => row.actor === 'test' && row.action === 'component.create'));
    assert.match(html, new RegExp(`<a href="/incidents/${eventId}">event ${eventId}</a>`));
    assert.match(html, /<dt>title<\/dt><dd><pre class="audit-value audit-before">.*?\(none\).*?<pre class="audit-value audit-after"><span class="visually-hidden">After: <\/span>&quot;Servers slow&quot;<\/pre>/);
    assert.match(html, /<a href="\/audit">Audit log<\/a>/, 'the menu links to it');
  });

  it('narrows the list by actor (exact or up to the colon), action, entity and id, and days', async (t) => {
    const api = await cloud(t);
    const dayOne = new Date(api.clock.now).toISOString().slice(0, 10);
    api.clock.advance(DAY);
    const dayTwo = new Date(api.clock.now).toISOString().slice(0, 10);
    const first = await report(api, 'probe-eu-de', 'Elastic Cloud Server', 'EU-DE');
    api.clock.advance(DAY);
    // The open incident takes the second service in: an update of the same event.
    assert.equal(await report(api, 'probe-eu-nl', 'Object Storage', 'EU-NL'), first);
    // Sessions last hours, not days: logged in now.
    const operator = await logInOperator(api);

    const [update] = rowsOf(await auditPage(operator, '/audit?action=event.update'));
    assert.deepEqual(update?.changed, ['componentIds'], 'an update shows only what it changed');

    const actions = async (query: string) => rowsOf(await auditPage(operator, `/audit${query}`)).map((row) => `${row.actor} ${row.action} ${row.which}`);
    assert.deepEqual(await actions('?actor=api%3A'), [`api:probe-eu-nl event.update event ${first}`, `api:probe-eu-de event.open event ${first}`]);
    assert.deepEqual(await actions('?actor=api%3Aprobe-eu-de'), [`api:probe-eu-de event.open event ${first}`]);
    assert.deepEqual(await actions('?actor=api%3Aprobe'), [], 'without the colon, the name must be exact');
    assert.deepEqual(await actions('?action=component.create'), ['test component.create component 2', 'test component.create component 1']);
    assert.deepEqual(await actions(`?entity=event&entity_id=${first}`), [`api:probe-eu-nl event.update event ${first}`, `api:probe-eu-de event.open event ${first}`]);
    assert.deepEqual(await actions(`?entity=event&entity_id=${first + 1}`), []);
    assert.deepEqual(await actions('?entity=operator'), ['cli:test operator.create operator 1']);
    assert.deepEqual(await actions(`?actor=api%3A&from=${dayTwo}&to=${dayTwo}`), [`api:probe-eu-de event.open event ${first}`]);
    assert.deepEqual(await actions(`?actor=api%3A&to=${dayOne}`), []);
    assert.deepEqual(await actions(`?actor=api%3A&from=${new Date(api.clock.now).toISOString()}`), [`api:probe-eu-nl event.update event ${first}`]);
    // What an unused form field sends: nothing is filtered.
    assert.equal((await actions('?actor=&action=&entity=&entity_id=&from=&to=')).length, 5);

    const empty = await auditPage(operator, '/audit?actor=nobody');
    assert.match(empty, /No changes match these filters\./);
    assert.match(empty, /<input type="text" name="actor" value="nobody"/, 'the form keeps the filter');
  });

  it('pages through more than 50 entries, 50 at a time, keeping the filter in the links', async (t) => {
    const { api, operator } = await fixture(t);
    const start = api.clock.now;
    // Pairs of entries share a millisecond: the order must not rest on the time alone.
    const entries: AuditEntry[] = Array.from({ length: 121 }, (_, index) => ({
      at: start + Math.floor(index / 2),
      actor: 'cli:bulk',
      action: 'component.create',
      entity: 'component',
      entityId: index + 1,
      before: null,
      after: { index },
    }));
    await withWriteTransaction(api.store, ({ tx }) => writeAudit(tx, entries));

    const seen: string[] = [];
    const pages: string[] = [];
    let url: string | undefined = '/audit?actor=cli%3Abulk';
    while (url) {
      const html = await auditPage(operator, url);
      pages.push(html);
      const rows = rowsOf(html);
      assert.ok(rows.length <= AUDIT_PAGE_SIZE);
      seen.push(...rows.map((row) => row.which));
      url = linkOf(html, 'next');
      if (url) assert.match(url, /^\/audit\?actor=cli%3Abulk&before=\d+\.\d+$/);
    }
    assert.deepEqual(
      pages.map((html) => rowsOf(html).length),
      [50, 50, 21],
    );
    assert.deepEqual(
      seen,
      entries.map((entry) => `component ${entry.entityId}`).reverse(),
      'every entry once, newest first',
    );
    assert.equal(linkOf(pages[0] ?? '', 'prev'), undefined, 'the first page has nothing newer');

    const back = linkOf(pages[2] ?? '', 'prev');
    assert.ok(back);
    assert.match(back, /^\/audit\?actor=cli%3Abulk&after=\d+\.\d+$/);
    const middle = await auditPage(operator, back);
    assert.deepEqual(rowsOf(middle), rowsOf(pages[1] ?? ''), '"Newer" goes back to the page before');
    const top = linkOf(middle, 'prev');
    assert.ok(top);
    assert.deepEqual(rowsOf(await auditPage(operator, top)), rowsOf(pages[0] ?? ''));
  });

  it('escapes what callers wrote: a title and a token subject carrying markup', async (t) => {
    const { api, operator } = await fixture(t);
    await report(api, XSS, 'Elastic Cloud Server', 'EU-DE', XSS);
    const html = await auditPage(operator, '/audit');
    assert.ok(!html.includes(XSS), 'no raw markup');
    assert.ok(html.includes(`<td>api:${XSS_ESCAPED}</td>`));
    assert.ok(html.includes(`&quot;${XSS_ESCAPED}&quot;`));
    const filtered = await auditPage(operator, `/audit?actor=${encodeURIComponent(`api:${XSS}`)}`);
    assert.ok(!filtered.includes(XSS));
    assert.equal(rowsOf(filtered).length, 1);
  });

  it('refuses a filter it cannot read: 400 JSON that names the field', async (t) => {
    const { operator } = await fixture(t);
    const cases: [string, RegExp][] = [
      ['entity=incident', /entity: one of component, event, operator/],
      ['entity=event&entity_id=twelve', /entity_id: a whole number/],
      ['entity_id=12', /entity_id: needs an entity/],
      ['entity=event&entity_id=9999999999', /entity_id: a whole number from 1 to 2147483647/],
      ['entity=event&entity_id=0', /entity_id: a whole number from 1 to 2147483647/],
      ['from=yesterday', /from: a UTC day/],
      ['from=2026-02-30', /2026-02-30 is no such moment/],
      ['to=2026-03-10T25:00:00Z', /to: a UTC day/],
      ['to=2016-12-31T23:59:60Z', /to: a UTC day/],
      ['from=2026-03-10T09:30Z', /2026-03-10T09:30Z is no such moment/],
      ['from=2026-03-11&to=2026-03-10', /to: must not be before from/],
      ['action=Event%20open', /action: a name like event\.open/],
      ['actor=a&actor=b', /actor: once at most/],
      ['before=1.2&after=3.4', /before and after: one or the other/],
      ['before=soon', /before: the position from a page link/],
    ];
    for (const [query, message] of cases) {
      const response = await operator.get(`/audit?${query}`);
      assert.equal(response.statusCode, 400, query);
      assert.match(String(response.headers['content-type']), /^application\/json/, query);
      const body = response.json() as { code: number; message: string };
      assert.equal(body.code, 400, query);
      assert.match(body.message, message, query);
    }
  });
});
