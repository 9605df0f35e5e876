// The operators' /subscribers (issue 18): counts by scope and the addresses, for operators and
// admins only; removing one deletes it and is audited under the operator's name. Addresses
// reach no public page.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { listAuditLog } from '../../src/storage/audit-log.js';
import { confirmSubscriber, findSubscriberByEmail, listSubscribers } from '../../src/storage/subscribers.js';
import { buildTestApp } from '../helpers/app.js';
import { describeEachDatabase } from '../helpers/database.js';
import { createComponents } from '../helpers/factories.js';
import { logInOperator } from '../helpers/operator.js';
import { buildSubscriptionApp, getPage, postForm, subscribeFields } from '../helpers/subscriptions.js';

/** The text of a page, tags dropped: what a reader sees. */
const textOf = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describeEachDatabase('the operators\' subscribers page (issue 18)', () => {
  it('counts the addresses by scope and lists them for operators; creators and readers are refused', async (t) => {
    const api = await buildSubscriptionApp(t);
    const [ecs] = await createComponents(api.store, [
      ['Elastic Cloud Server', { region: 'EU-DE', category: 'Compute' }],
      ['Elastic Cloud Server', { region: 'EU-NL', category: 'Compute' }],
    ]);
    const ask = (email: string, fields: Record<string, string | string[]>) => postForm(api, '/subscribe', subscribeFields(email, fields));
    await ask('a@example.org', { place: 'region', region: 'EU-DE' });
    await ask('b@example.org', { place: 'region', region: 'EU-DE' });
    await ask('c@example.org', { place: 'region', region: 'EU-DE' });
    await ask('d@example.org', { place: 'category', category: 'Compute', category_region: '', incidents: '3', maintenances: [], notices: [] });
    await ask('e@example.org', { place: 'components', component: String(ecs?.id) });
    for (const email of ['a@example.org', 'b@example.org', 'd@example.org']) {
      const subscriber = await findSubscriberByEmail(api.store, email);
      await confirmSubscriber(api.store, subscriber?.id ?? 0, api.clock.read());
    }

    const bob = await logInOperator(api, 'bob', 'operator');
    const page = await bob.get('/subscribers');
    assert.equal(page.statusCode, 200);
    assert.equal(page.headers['cache-control'], 'private, no-store');
    const text = textOf(page.body);
    assert.match(text, /5 addresses: 3 confirmed, 2 waiting for their confirmation/);
    assert.match(text, /All incidents, maintenances and notices in EU-DE 2 1 /, 'EU-DE: two confirmed, one pending');
    assert.match(text, /Outages of Compute in every region 1 0 /);
    assert.match(text, /All incidents, maintenances and notices of Elastic Cloud Server \(EU-DE\) 0 1 /);
    for (const email of ['a@example.org', 'c@example.org', 'e@example.org']) assert.ok(text.includes(email), email);
    assert.match(page.body, /<a href="\/subscribers">Subscribers<\/a>/, 'the header links it');
    assert.doesNotMatch(page.body, /Email is not configured/);

    const carol = await logInOperator(api, 'carol', 'creator');
    assert.equal((await carol.get('/subscribers')).statusCode, 403);
    assert.doesNotMatch((await carol.get('/')).body, /\/subscribers/, 'creators are not offered it');
    assert.equal((await getPage(api, '/subscribers')).statusCode, 401);
    for (const url of ['/', '/history', '/subscribe', '/?region=EU-NL']) assert.doesNotMatch((await getPage(api, url)).body, /@example\.org/, url);
  });

  it('removes an address with the form (CSRF checked), audited under the operator', async (t) => {
    const api = await buildSubscriptionApp(t);
    await createComponents(api.store, [['Elastic Cloud Server', { region: 'EU-DE', category: 'Compute' }]]);
    await postForm(api, '/subscribe', subscribeFields('a@example.org'));
    await postForm(api, '/subscribe', subscribeFields('b@example.org'));
    const [a, b] = await listSubscribers(api.store);
    assert.ok(a && b);
    const bob = await logInOperator(api, 'bob', 'operator');
    assert.match((await bob.get('/subscribers')).body, new RegExp(`<form method="post" action="/subscribers/${a.id}/remove" class="inline-form"><input type="hidden" name="csrf" value="${bob.csrf}"/>`));

    const forged = await bob.post(`/subscribers/${a.id}/remove`, { csrf: 'not-the-token' });
    assert.equal(forged.statusCode, 403);
    assert.equal((await listSubscribers(api.store)).length, 2);
    const stranger = await api.app.inject({ method: 'POST', url: `/subscribers/${a.id}/remove`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `csrf=${bob.csrf}` });
    assert.equal(stranger.statusCode, 401, 'no session, no removal');

    const removed = await bob.post(`/subscribers/${a.id}/remove`, {});
    assert.equal(removed.statusCode, 303);
    assert.equal(removed.headers.location, '/subscribers');
    assert.deepEqual((await listSubscribers(api.store)).map((subscriber) => subscriber.email), ['b@example.org']);
    assert.equal((await bob.post(`/subscribers/${a.id}/remove`, {})).statusCode, 303, 'removed twice: gone is what was asked');
    const audit = await listAuditLog(api.store, { entity: 'subscriber', action: 'subscriber.remove' });
    assert.deepEqual(audit.entries.map((entry) => [entry.actor, entry.entityId]), [['local:bob', a.id]]);
  });

  it('says when no SMTP relay is configured', async (t) => {
    const api = await buildTestApp(t);
    const bob = await logInOperator(api, 'bob', 'operator');
    const page = await bob.get('/subscribers');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Email is not configured \(SD_SMTP_URL and SD_MAIL_FROM\): nobody can subscribe/);
    assert.match(textOf(page.body), /0 addresses: 0 confirmed/);
  });
});
