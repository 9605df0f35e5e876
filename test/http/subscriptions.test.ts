// Email subscriptions on the pages (issue 18), through the routes and the write transaction on
// both databases: the subscribe form and its presets, the same answer for every address, the rate
// limits, and the pages behind the links of the mails (confirm, manage, unsubscribe), which act
// on POST only and take the signed token as their only proof. The mails themselves go through a
// real SMTP server in subscriptions-mail.test.ts.
import assert from 'node:assert/strict';
import { it, type TestContext } from 'node:test';
import { signSubscriptionLink, type LinkPurpose } from '../../src/auth/subscription-links.js';
import type { Component } from '../../src/domain/component.js';
import { listAuditLog } from '../../src/storage/audit-log.js';
import { recentDeliveries } from '../../src/storage/deliveries.js';
import { confirmSubscriber, findSubscriber, findSubscriberByEmail, listSubscribers } from '../../src/storage/subscribers.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { HOUR, MINUTE } from '../helpers/clock.js';
import { describeEachDatabase } from '../helpers/database.js';
import { createComponents } from '../helpers/factories.js';
import { buildSubscriptionApp, getPage, postForm, subscribeFields, TEST_LINK_KEY } from '../helpers/subscriptions.js';

interface Setup {
  api: TestApp;
  ecsDe: Component;
  obsDe: Component;
  ecsNl: Component;
}

async function setUp(t: TestContext, options: Parameters<typeof buildTestApp>[1] = {}): Promise<Setup> {
  const api = await buildSubscriptionApp(t, options);
  const [ecsDe, obsDe, ecsNl] = await createComponents(api.store, [
    ['Elastic Cloud Server', { region: 'EU-DE', category: 'Compute', type: 'ecs' }],
    ['Object Storage Service', { region: 'EU-DE', category: 'Storage', type: 'obs' }],
    ['Elastic Cloud Server', { region: 'EU-NL', category: 'Compute', type: 'ecs' }],
  ]);
  if (!ecsDe || !obsDe || !ecsNl) throw new Error('components not created');
  return { api, ecsDe, obsDe, ecsNl };
}

/** The link of a mail for this subscriber, as the notifier makes it (a confirmation's expires in 48 h). */
function linkOf(purpose: LinkPurpose, id: number, expiresAt?: number): string {
  return `/subscriptions/${purpose}/${signSubscriptionLink(TEST_LINK_KEY, purpose, id, expiresAt)}`;
}

/** The <main> of a page: what differs between answers (the head and footer never do). */
const mainOf = (html: string) => html.slice(html.indexOf('<main'), html.indexOf('</main>'));

/** Subscribes and confirms an address through storage: the state the mails' links start from. */
async function confirmedSubscriber(api: TestApp, email: string, fields: Record<string, string | string[]> = {}): Promise<number> {
  assert.equal((await postForm(api, '/subscribe', subscribeFields(email, fields))).statusCode, 200);
  const subscriber = await findSubscriberByEmail(api.store, email);
  assert.ok(subscriber, email);
  await confirmSubscriber(api.store, subscriber.id, api.clock.read());
  return subscriber.id;
}

const SUBSCRIBE_LINK = /<p class="subscribe-link"><a href="[^"]*">[^<]*<\/a><\/p>/;

describeEachDatabase('email subscriptions: without SMTP (issue 18)', () => {
  it('has no /subscribe and no link, and the public pages are the bytes they would be without the feature', async (t) => {
    const { api: withEmail, ecsDe } = await setUp(t);
    const without = await buildTestApp(t, { store: withEmail.store, clock: withEmail.clock });
    assert.equal((await withEmail.postStatus({ name: 'Elastic Cloud Server', impact: 2, attributes: [{ name: 'region', value: 'EU-DE' }] })).statusCode, 201);
    const incident = (await withEmail.getJson<{ id: number }[]>('/api/v1/incidents')).body[0];
    assert.ok(incident);
    for (const url of ['/', '/?region=EU-NL', `/incidents/${incident.id}`, '/history', `/history?region=EU-DE&component=${encodeURIComponent(ecsDe.name)}`]) {
      const plain = (await getPage(without, url)).body;
      const offered = (await getPage(withEmail, url)).body;
      assert.doesNotMatch(plain, /\/subscribe/, url);
      assert.match(offered, SUBSCRIBE_LINK, url);
      assert.equal(offered.replace(SUBSCRIBE_LINK, ''), plain, `${url}: the link is the only difference`);
    }
    for (const [method, url] of [
      ['GET', '/subscribe'],
      ['POST', '/subscribe'],
      ['GET', linkOf('manage', 1)],
      ['POST', linkOf('unsubscribe', 1)],
    ] as const) {
      assert.equal((await without.app.inject({ method, url, headers: { accept: 'text/html' } })).statusCode, 404, `${method} ${url}`);
    }
  });
});

describeEachDatabase('email subscriptions: the subscribe form (issue 18)', () => {
  it('is linked from each region tab, an incident page (its services) and the history (its filter)', async (t) => {
    const { api, ecsDe, obsDe } = await setUp(t);
    assert.match((await getPage(api, '/?region=EU-NL')).body, /<a href="\/subscribe\?region=EU-NL">Subscribe to news of EU-NL by email<\/a>/);
    assert.equal((await api.postStatus({ name: 'Elastic Cloud Server', impact: 2, attributes: [{ name: 'region', value: 'EU-DE' }] })).statusCode, 201);
    assert.equal((await api.postStatus({ name: 'Object Storage Service', impact: 2, attributes: [{ name: 'region', value: 'EU-DE' }] })).statusCode, 201);
    const incident = (await api.getJson<{ id: number }[]>('/api/v1/incidents')).body[0];
    assert.ok(incident);
    assert.match((await getPage(api, `/incidents/${incident.id}`)).body, new RegExp(`<a href="/subscribe\\?component=${ecsDe.id}&amp;component=${obsDe.id}">Subscribe to news of these services by email</a>`));
    assert.match((await getPage(api, '/history')).body, /<a href="\/subscribe">Subscribe to news by email<\/a>/);
    assert.match((await getPage(api, '/history?region=EU-DE&category=Compute')).body, /<a href="\/subscribe\?region=EU-DE&amp;category=Compute">Subscribe to news of these services by email<\/a>/);
    assert.doesNotMatch((await getPage(api, '/history?region=Atlantis')).body, /subscribe-link/, 'a filter that matches nothing offers nothing');
  });

  it('is preset to what the link names, and to the whole cloud for what does not exist', async (t) => {
    const { api, ecsDe, ecsNl } = await setUp(t);
    const checked = async (url: string) => {
      const response = await getPage(api, url);
      assert.equal(response.statusCode, 200, url);
      assert.equal(response.headers['cache-control'], 'public, max-age=0, s-maxage=5, stale-if-error=86400', 'the same page for everyone who comes with this preset');
      const html = response.body;
      return {
        place: /<input type="radio" id="place-[a-z]+" name="place" value="([a-z]+)" checked/.exec(html)?.[1],
        selected: [...html.matchAll(/<select id="([a-z-]+)"[^>]*>(?:(?!<\/select>).)*?<option value="([^"]*)" selected>/g)].map((match) => `${match[1]}=${match[2]}`),
        components: [...html.matchAll(/name="component" value="(\d+)" checked/g)].map((match) => Number(match[1])),
      };
    };
    assert.deepEqual(await checked('/subscribe'), { place: 'cloud', selected: ['incidents=1'], components: [] });
    assert.deepEqual((await checked('/subscribe?region=EU-NL')).place, 'region');
    assert.deepEqual((await checked('/subscribe?region=EU-NL')).selected, ['region=EU-NL', 'incidents=1']);
    assert.deepEqual((await checked('/subscribe?region=EU-DE&category=Compute')).selected, ['category=Compute', 'category-region=EU-DE', 'incidents=1']);
    assert.deepEqual((await checked('/subscribe?category=Compute')).place, 'category');
    assert.deepEqual((await checked(`/subscribe?component=${ecsDe.id}&component=${ecsNl.id}`)).components, [ecsDe.id, ecsNl.id]);
    assert.deepEqual((await checked(`/subscribe?component=${ecsNl.id}`)).place, 'components');
    assert.deepEqual((await checked('/subscribe?region=EU-NL&service=Elastic%20Cloud%20Server')).components, [ecsNl.id], 'the history names a service in a region');
    assert.deepEqual(await checked('/subscribe?region=Atlantis&component=999&service=Nothing'), { place: 'cloud', selected: ['incidents=1'], components: [] });
    assert.equal((await getPage(api, '/subscribe?component=x1')).statusCode, 200, 'an id that is none is dropped');
    const maintenance = (await getPage(api, '/subscribe')).body;
    assert.match(maintenance, /id="maintenances" name="maintenances" value="yes" checked/);
    assert.match(maintenance, /id="notices" name="notices" value="yes" checked/);
    assert.doesNotMatch(maintenance, /<script>|<style|style="/, 'no inline script or style');
  });

  it('refuses an address that is none, and a scope that names nothing or wants nothing, keeping what was typed', async (t) => {
    const { api } = await setUp(t);
    const refused = async (fields: Record<string, string | string[]>, problem: RegExp) => {
      const response = await postForm(api, '/subscribe', fields);
      assert.equal(response.statusCode, 400, JSON.stringify(fields));
      assert.equal(response.headers['cache-control'], 'private, no-store');
      assert.match(response.body, problem);
      return response.body;
    };
    const body = await refused(subscribeFields('not an address'), /Enter an email address, such as name@example.com\./);
    assert.match(body, /value="not an address" aria-describedby="email-problem" aria-invalid="true"/);
    await refused(subscribeFields('a@example.org', { place: 'region', region: 'Atlantis' }), /Choose a region\./);
    await refused(subscribeFields('a@example.org', { place: 'category', category: 'Storage', category_region: 'EU-NL' }), /No service matches this choice\./);
    await refused(subscribeFields('a@example.org', { place: 'components' }), /Choose at least one service\./);
    await refused(subscribeFields('a@example.org', { place: 'components', component: ['1', '9999'] }), /Services: not a valid choice\./);
    await refused(subscribeFields('a@example.org', { place: 'moon' }), /Choose what to follow/);
    await refused({ email: 'a@example.org', place: 'cloud', incidents: 'none' }, /Choose at least one kind of news/);
    await refused(subscribeFields('a@example.org', { incidents: '7' }), /Incidents: not a valid choice\./);
    assert.deepEqual(await listSubscribers(api.store), [], 'nothing is stored');
  });

  it('answers the same page for a new, a pending and a confirmed address, and storage queues the right mail', async (t) => {
    const { api } = await setUp(t);
    const fields = subscribeFields('Reader@Example.org', { place: 'region', region: 'EU-DE', incidents: '2', notices: [] });
    const fresh = await postForm(api, '/subscribe', fields);
    assert.equal(fresh.statusCode, 200);
    assert.equal(fresh.headers['cache-control'], 'private, no-store');
    assert.match(fresh.body, /If the address can receive our mails, a confirmation is on its way\./);
    const subscriber = await findSubscriberByEmail(api.store, 'reader@example.org');
    assert.ok(subscriber);
    assert.deepEqual(subscriber.scope, { place: { kind: 'region', region: 'EU-DE' }, incidents: 2, maintenances: true, notices: false });
    assert.equal(subscriber.confirmedAt, null);
    assert.equal(subscriber.email, 'reader@example.org', 'kept as people mean it');
    const pending = await postForm(api, '/subscribe', fields, '198.51.100.9');
    await confirmSubscriber(api.store, subscriber.id, api.clock.read());
    const confirmed = await postForm(api, '/subscribe', fields);
    assert.equal(pending.body, fresh.body, 'pending: the same bytes');
    assert.equal(confirmed.body, fresh.body, 'confirmed: the same bytes');
    assert.equal(pending.statusCode, 200);
    assert.equal(confirmed.statusCode, 200);
    const kinds = (await recentDeliveries(api.store, 'email', subscriber.id)).map((delivery) => delivery.kind).sort();
    assert.deepEqual(kinds, ['confirm', 'manage'], 'one confirmation waiting (asked twice), then the confirmed address its links');
  });

  it('limits requests per address (the same answer) and per client address (429), for an hour', async (t) => {
    const { api } = await setUp(t);
    // Per address: three an hour, whichever clients ask; the fourth changes nothing and says nothing.
    for (const [index, client] of ['203.0.113.1', '203.0.113.2', '203.0.113.3'].entries()) {
      assert.equal((await postForm(api, '/subscribe', subscribeFields('target@example.org', { place: 'region', region: 'EU-DE' }), client)).statusCode, 200, `request ${index + 1}`);
    }
    const fourth = await postForm(api, '/subscribe', subscribeFields('target@example.org', { place: 'region', region: 'EU-NL' }), '203.0.113.4');
    const answer = await postForm(api, '/subscribe', subscribeFields('other@example.org'), '203.0.113.4');
    assert.equal(fourth.statusCode, 200);
    assert.equal(fourth.body, answer.body, 'the same page as any accepted request');
    assert.deepEqual((await findSubscriberByEmail(api.store, 'target@example.org'))?.scope.place, { kind: 'region', region: 'EU-DE' }, 'the fourth request was not taken');

    // Per client: twenty an hour, whatever the addresses; the 21st is a 429 that names no address.
    const client = '192.0.2.50';
    for (let index = 1; index <= 20; index += 1) {
      assert.equal((await postForm(api, '/subscribe', subscribeFields(`reader${index}@example.org`), client)).statusCode, 200, `request ${index}`);
    }
    const limited = await postForm(api, '/subscribe', subscribeFields('reader21@example.org'), client);
    assert.equal(limited.statusCode, 429);
    assert.equal(limited.headers['retry-after'], '3600');
    assert.match(limited.body, /Too many subscription requests came from your network/);
    assert.doesNotMatch(limited.body, /reader21/);
    assert.equal(await findSubscriberByEmail(api.store, 'reader21@example.org'), undefined);
    assert.equal((await postForm(api, '/subscribe', subscribeFields('reader21@example.org'), '192.0.2.51')).statusCode, 200, 'another client is not limited');

    api.clock.advance(HOUR + MINUTE);
    assert.equal((await postForm(api, '/subscribe', subscribeFields('reader22@example.org'), client)).statusCode, 200, 'an hour later the client may again');
    assert.equal((await postForm(api, '/subscribe', subscribeFields('target@example.org', { place: 'region', region: 'EU-NL' }))).statusCode, 200);
    assert.deepEqual((await findSubscriberByEmail(api.store, 'target@example.org'))?.scope.place, { kind: 'region', region: 'EU-NL' }, 'and the address may be asked for again');
  });
});

describeEachDatabase('email subscriptions: the links of the mails (issue 18)', () => {
  it('confirms on POST only: the GET shows the scope and a button (mail scanners open links)', async (t) => {
    const { api } = await setUp(t);
    await postForm(api, '/subscribe', subscribeFields('reader@example.org', { place: 'category', category: 'Compute', category_region: '' }));
    const subscriber = await findSubscriberByEmail(api.store, 'reader@example.org');
    assert.ok(subscriber);
    const link = linkOf('confirm', subscriber.id, api.clock.read() + 48 * HOUR);
    const page = await getPage(api, link);
    assert.equal(page.statusCode, 200);
    assert.equal(page.headers['cache-control'], 'private, no-store');
    assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
    assert.equal(page.headers['x-robots-tag'], 'noindex');
    assert.match(page.body, /<strong>reader@example\.org<\/strong> will receive: All incidents, maintenances and notices of Compute in every region\./);
    assert.match(page.body, new RegExp(`<form method="post" action="${link}"><button type="submit">Confirm the subscription</button></form>`));
    assert.equal((await findSubscriber(api.store, subscriber.id))?.confirmedAt, null, 'a GET confirms nothing');

    const confirmed = await postForm(api, link, {});
    assert.equal(confirmed.statusCode, 200);
    assert.match(confirmed.body, /reader@example\.org is subscribed\./);
    assert.match(confirmed.body, new RegExp(`<a href="${linkOf('manage', subscriber.id)}">Change what you receive or unsubscribe</a>`));
    assert.equal((await findSubscriber(api.store, subscriber.id))?.confirmedAt, api.clock.read());
    const again = await getPage(api, link);
    assert.match(again.body, /reader@example\.org is subscribed already\./);
    assert.equal((await postForm(api, link, {})).statusCode, 200, 'confirming twice is confirming');
    const audit = await listAuditLog(api.store, { entity: 'subscriber', entityId: subscriber.id });
    assert.deepEqual(audit.entries.map((entry) => `${entry.actor} ${entry.action}`).sort(), ['public subscriber.confirm', 'public subscriber.request']);
  });

  it('refuses forged, expired and misused links with a page (400), and a gone subscription with 404, never a 500', async (t) => {
    const { api } = await setUp(t);
    const id = await confirmedSubscriber(api, 'reader@example.org');
    const now = api.clock.read();
    const valid = linkOf('manage', id);
    const cases: [string, number][] = [
      [linkOf('confirm', id, now - 1), 400],
      [`/subscriptions/confirm/${id}.${now + HOUR}.forged`, 400],
      [`/subscriptions/manage/${id}.${'A'.repeat(43)}`, 400],
      [valid.replace('/manage/', '/unsubscribe/'), 400],
      [valid.replace('/manage/', '/confirm/'), 400],
      [`/subscriptions/manage/${'x'.repeat(90)}`, 400],
      // Longer than any token: Fastify refuses a path parameter of over 100 characters itself.
      [`/subscriptions/manage/${'x'.repeat(5000)}`, 414],
      ['/subscriptions/manage/%E2%80%AE', 400],
      [linkOf('manage', id + 1000), 404],
      [linkOf('unsubscribe', id + 1000), 404],
      [linkOf('confirm', id + 1000, now + HOUR), 404],
      ['/subscriptions/other/x', 404],
    ];
    for (const [url, status] of cases) {
      const response = await getPage(api, url);
      assert.equal(response.statusCode, status, url);
      if (status !== 414) assert.match(String(response.headers['content-type']), /^text\/html/, url);
      if (status === 400) assert.match(response.body, /Link not valid/, url);
    }
    assert.match((await getPage(api, linkOf('confirm', id, now - 1))).body, /it has expired: a confirmation link works for 48 hours/);
    for (const [url, status] of cases.slice(0, 5)) assert.equal((await postForm(api, url, {})).statusCode, status, `POST ${url}`);
    assert.equal((await postForm(api, linkOf('manage', id + 1000), subscribeFields(''))).statusCode, 404);
    assert.ok(await findSubscriber(api.store, id), 'nothing happened to the real subscription');
  });

  it('changes the scope from the manage link, refusing a bad one and keeping the old', async (t) => {
    const { api, ecsDe, ecsNl } = await setUp(t);
    const id = await confirmedSubscriber(api, 'reader@example.org', { place: 'region', region: 'EU-DE' });
    const link = linkOf('manage', id);
    const page = await getPage(api, link);
    assert.equal(page.statusCode, 200);
    assert.equal(page.headers['cache-control'], 'private, no-store');
    assert.match(page.body, /<strong>reader@example\.org<\/strong> receives: All incidents, maintenances and notices in EU-DE\./);
    assert.match(page.body, /value="region" checked/);
    assert.match(page.body, /<option value="EU-DE" selected>/);
    assert.match(page.body, new RegExp(`<form method="post" action="${linkOf('unsubscribe', id)}"><button type="submit">Unsubscribe</button></form>`));

    const bad = await postForm(api, link, { place: 'components', incidents: '3' });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /Choose at least one service\./);
    assert.deepEqual((await findSubscriber(api.store, id))?.scope.place, { kind: 'region', region: 'EU-DE' });

    const saved = await postForm(api, link, { place: 'components', component: [String(ecsDe.id), String(ecsNl.id)], incidents: '3', notices: 'yes' });
    assert.equal(saved.statusCode, 200);
    assert.match(saved.body, /Saved\. reader@example\.org now receives: Outages and notices of Elastic Cloud Server \(EU-DE\), Elastic Cloud Server \(EU-NL\)\./);
    assert.deepEqual((await findSubscriber(api.store, id))?.scope, { place: { kind: 'components', componentIds: [ecsDe.id, ecsNl.id] }, incidents: 3, maintenances: false, notices: true });
    const audit = await listAuditLog(api.store, { entity: 'subscriber', entityId: id, action: 'subscriber.scope' });
    assert.equal(audit.entries[0]?.actor, 'public');
    assert.doesNotMatch(JSON.stringify(audit.entries), /reader@example/, 'the audit log keeps no address');
  });

  it('unsubscribes from the page button and by RFC 8058 one-click POSTs (urlencoded or multipart, no cookie), deleting the address', async (t) => {
    const { api } = await setUp(t);
    const ids = [await confirmedSubscriber(api, 'one@example.org'), await confirmedSubscriber(api, 'two@example.org'), await confirmedSubscriber(api, 'three@example.org')];
    const [one, two, three] = ids.map((id) => linkOf('unsubscribe', id));
    assert.ok(one && two && three);

    const page = await getPage(api, one);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Stop all mails to <strong>one@example\.org<\/strong>\?/);
    assert.match(page.body, new RegExp(`<form method="post" action="${one}"><button type="submit">Unsubscribe</button></form>`));
    assert.ok(await findSubscriber(api.store, ids[0] ?? 0), 'a GET unsubscribes nobody');

    const button = await postForm(api, one, {});
    assert.equal(button.statusCode, 200);
    assert.match(button.body, /The address is unsubscribed and deleted/);
    const urlencoded = await api.app.inject({ method: 'POST', url: two, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
    assert.equal(urlencoded.statusCode, 200);
    const boundary = '----sd-test-boundary';
    const multipart = await api.app.inject({
      method: 'POST',
      url: three,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`,
    });
    assert.equal(multipart.statusCode, 200);
    assert.deepEqual(await listSubscribers(api.store), [], 'every address is deleted');
    assert.equal((await recentDeliveries(api.store, 'email', ids[0] ?? 0)).filter((delivery) => delivery.state === 'pending').length, 0, 'with its waiting mails');
    assert.equal((await postForm(api, one, {})).statusCode, 200, 'a mail client retrying gets what it asked for');
    assert.equal((await getPage(api, one)).statusCode, 404, 'the page of a gone subscription says so');
    const audit = await listAuditLog(api.store, { entity: 'subscriber', action: 'subscriber.remove' });
    assert.deepEqual(audit.entries.map((entry) => entry.actor), ['public', 'public', 'public']);
  });

  it('escapes what subscribers typed, and keeps addresses and tokens out of the log', async (t) => {
    const lines: string[] = [];
    const { api } = await setUp(t, { logStream: { write: (line: string) => lines.push(line) } });
    // A quoted local part may hold markup (RFC 5322): valid, so it must be escaped wherever it shows.
    const email = '"<img src=x onerror=alert(1)>"@example.org';
    assert.equal((await postForm(api, '/subscribe', subscribeFields(email))).statusCode, 200);
    const subscriber = await findSubscriberByEmail(api.store, email);
    assert.ok(subscriber);
    const token = signSubscriptionLink(TEST_LINK_KEY, 'unsubscribe', subscriber.id);
    const page = await getPage(api, `/subscriptions/unsubscribe/${token}`);
    assert.match(mainOf(page.body), /&quot;&lt;img src=x onerror=alert\(1\)>&quot;@example\.org|"&lt;img src=x onerror=alert\(1\)>"@example\.org/);
    assert.doesNotMatch(page.body, /<img src=x/);
    await postForm(api, `/subscriptions/unsubscribe/${token}`, {});
    const log = lines.join('');
    assert.match(log, /\/subscriptions\/unsubscribe\/…/, 'the request log shows the path without its token');
    assert.doesNotMatch(log, new RegExp(token.replace(/\./g, '\\.')));
    assert.doesNotMatch(log, /example\.org/);
  });
});
