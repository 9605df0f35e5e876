// The operators' /webhooks (issue 18): the webhooks with their recent deliveries, failures and
// retries and why one is disabled; add (the secret shown once), send test, disable, enable and
// remove with forms that carry the session's CSRF token, each change audited under the operator.
import assert from 'node:assert/strict';
import { it, type TestContext } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { listAuditLog } from '../../src/storage/audit-log.js';
import { findWebhook, listWebhooks, noteWebhookOutcome } from '../../src/storage/webhooks.js';
import { buildTestApp } from '../helpers/app.js';
import { HOUR } from '../helpers/clock.js';
import { describeEachDatabase } from '../helpers/database.js';
import { createComponents } from '../helpers/factories.js';
import { logInOperator } from '../helpers/operator.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';
import { testNotifier } from '../helpers/notifier.js';

/** The text of a page, tags dropped: what a reader sees. */
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

async function setUp(t: TestContext, options: { allowPrivateWebhooks?: boolean } = {}) {
  const api = await buildTestApp(t, options);
  await createComponents(api.store, [
    ['Elastic Cloud Server', { category: 'Compute', region: 'EU-DE', type: 'ecs' }],
    ['Object Storage Service', { category: 'Storage', region: 'EU-NL', type: 'obs' }],
  ]);
  return { api, bob: await logInOperator(api, 'bob', 'operator') };
}

/** The add form's fields: everything of the whole cloud unless told otherwise. */
const addFields = (url: string, fields: Record<string, string | string[]> = {}) => ({ url, format: 'json', place: 'cloud', incidents: '1', maintenances: 'yes', notices: 'yes', ...fields });


describeEachDatabase('the operators\' webhooks page (issue 18)', () => {
  it('adds a webhook from the form and shows its secret once; operators and admins only', async (t) => {
    const { api, bob } = await setUp(t);
    const empty = await bob.get('/webhooks');
    assert.equal(empty.statusCode, 200);
    assert.equal(empty.headers['cache-control'], 'private, no-store');
    assert.match(textOf(empty.body), /No webhook yet: add one below\./);
    assert.match(empty.body, /<a href="\/webhooks">Webhooks<\/a>/, 'the header links it');
    assert.match(empty.body, /<input type="radio" id="place-cloud" name="place" value="cloud" checked/, 'a new webhook starts with the whole cloud');

    const added = await bob.post('/webhooks', addFields('http://127.0.0.1:9/hook', { format: 'slack', place: 'region', region: 'EU-DE', incidents: '2', notices: [] }));
    assert.equal(added.statusCode, 200, textOf(added.body));
    assert.equal(added.headers['cache-control'], 'private, no-store');
    const [webhook] = await listWebhooks(api.store);
    assert.ok(webhook);
    const secret = (await findWebhook(api.store, webhook.id))?.secret ?? '';
    assert.match(secret, /^whsec_/);
    const text = textOf(added.body);
    assert.ok(text.includes(`Webhook ${webhook.id} was added. Its signing secret is shown this once`), text);
    assert.ok(added.body.includes(`<code>${secret}</code>`), 'the secret, once');
    assert.match(text, /HMAC-SHA256 of <t>\.<raw body> with this secret, compares it in constant time/);
    assert.match(text, /URL http:\/\/127\.0\.0\.1:9\/hook Format Slack Follows Major incidents and outages and maintenances in EU-DE/);
    assert.match(text, /Webhook 1: enabled/);
    assert.match(text, /No delivery yet\./);
    const again = await bob.get('/webhooks');
    assert.ok(!again.body.includes(secret), 'never again');
    const [created] = (await listAuditLog(api.store, { entity: 'webhook' })).entries;
    assert.deepEqual([created?.action, created?.actor, created?.entityId], ['webhook.create', 'local:bob', webhook.id]);

    const carol = await logInOperator(api, 'carol', 'creator');
    assert.equal((await carol.get('/webhooks')).statusCode, 403);
    assert.equal((await carol.post('/webhooks', addFields('http://127.0.0.1:9/other'))).statusCode, 403);
    assert.equal((await carol.post(`/webhooks/${webhook.id}/remove`, {})).statusCode, 403);
    assert.doesNotMatch((await carol.get('/')).body, /href="\/webhooks"/, 'creators are not offered it');
    const anonymous = await api.app.inject({ method: 'GET', url: '/webhooks', headers: { accept: 'text/html' } });
    assert.equal(anonymous.statusCode, 401);
    const ada = await logInOperator(api, 'ada', 'admin');
    assert.equal((await ada.get('/webhooks')).statusCode, 200);
    assert.equal((await listWebhooks(api.store)).length, 1);
  });

  it('refuses a form that breaks a rule with the problem and the values sent, and stores nothing', async (t) => {
    const { api, bob } = await setUp(t, { allowPrivateWebhooks: false });
    const cases: [Record<string, string | string[]>, number, RegExp][] = [
      [{ ...addFields('https://hooks.example.com/in'), csrf: 'forged' }, 403, /The form had expired or did not come from this site/],
      [addFields(''), 400, /Enter the URL the deliveries go to\./],
      [addFields('ftp://hooks.example.com/in'), 400, /This URL is refused: only http:\/\/ and https:\/\/ URLs\./],
      [addFields('http://169.254.169.254/latest/meta-data/'), 400, /This URL is refused: 169\.254\.169\.254 is a loopback, private or link-local address: webhooks may not reach loopback, private or link-local addresses unless SD_WEBHOOK_ALLOW_PRIVATE is set\./],
      [addFields('http://localhost:8080/in'), 400, /This URL is refused: localhost resolves only to loopback, private or link-local addresses/],
      [addFields('https://93.184.215.14/in', { format: 'xml' }), 400, /Format: not a valid choice\./],
      [addFields('https://93.184.215.14/in', { place: 'region', region: 'EU-XX' }), 400, /Choose a region\./],
      [addFields('https://93.184.215.14/in', { incidents: 'none', maintenances: [], notices: [] }), 400, /Choose at least one kind of news/],
    ];
    for (const [fields, status, problem] of cases) {
      const response = await bob.post('/webhooks', fields);
      assert.equal(response.statusCode, status, JSON.stringify(fields));
      const text = textOf(response.body);
      assert.match(text, problem, JSON.stringify(fields));
      if (fields.url) assert.ok(response.body.includes(`value="${fields.url}"`), 'the URL sent comes back');
    }
    assert.match(textOf((await bob.get('/webhooks')).body), /Loopback, private and link-local addresses are refused\./);
    assert.deepEqual(await listWebhooks(api.store), []);
    assert.equal((await listAuditLog(api.store, { entity: 'webhook' })).entries.length, 0);
    const text = textOf((await bob.post('/webhooks', addFields('https://93.184.215.14/<script>'))).body);
    assert.match(text, /URL https:\/\/93\.184\.215\.14\/<script>/, 'shown as text');
  });

  it('sends a test, disables, enables and removes with its buttons (CSRF checked), each audited', async (t) => {
    const { api, bob } = await setUp(t);
    const receiver = await startWebhookReceiver(t);
    await bob.post('/webhooks', addFields(receiver.url));
    const [webhook] = await listWebhooks(api.store);
    assert.ok(webhook);
    const page = await bob.get('/webhooks');
    for (const action of ['test', 'disable', 'remove']) {
      assert.ok(page.body.includes(`<form method="post" action="/webhooks/${webhook.id}/${action}" class="inline-form"><input type="hidden" name="csrf" value="${bob.csrf}"/>`), action);
    }
    for (const action of ['test', 'disable', 'enable', 'remove']) {
      const forged = await bob.post(`/webhooks/${webhook.id}/${action}`, { csrf: 'forged' });
      assert.equal(forged.statusCode, 403, action);
      const anonymous: LightMyRequestResponse = await api.app.inject({ method: 'POST', url: `/webhooks/${webhook.id}/${action}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `csrf=${bob.csrf}` });
      assert.equal(anonymous.statusCode, 401, action);
      assert.equal((await bob.post(`/webhooks/999/${action}`, {})).statusCode, 404, action);
    }
    assert.equal((await listAuditLog(api.store, { entity: 'webhook' })).entries.length, 1, 'only the creation');

    const tested = await bob.post(`/webhooks/${webhook.id}/test`, {});
    assert.equal(tested.statusCode, 303);
    assert.equal(tested.headers.location, `/webhooks#webhook-${webhook.id}`);
    assert.match(textOf((await bob.get('/webhooks')).body), /Number About State Tries Last error Next try Sent 1 test waiting 0 none 2026-03-10 12:00 UTC not yet/);
    await testNotifier(t, api).runOnce();
    assert.equal(receiver.received.length, 1);
    assert.match(textOf((await bob.get('/webhooks')).body), / 1 test sent 1 none none 2026-03-10 12:00 UTC/);

    assert.equal((await bob.post(`/webhooks/${webhook.id}/disable`, {})).statusCode, 303);
    const disabled = textOf((await bob.get('/webhooks')).body);
    assert.match(disabled, /1 webhook is disabled: it receives nothing until it is enabled again\./);
    assert.match(disabled, /Webhook 1: disabled Disabled: disabled by an operator/);
    assert.match(disabled, /Enable \(webhook 1\)/);
    assert.equal((await bob.post(`/webhooks/${webhook.id}/enable`, {})).statusCode, 303);
    assert.match(textOf((await bob.get('/webhooks')).body), /Webhook 1: enabled .* Disable \(webhook 1\)/);

    const removed = await bob.post(`/webhooks/${webhook.id}/remove`, {});
    assert.equal(removed.statusCode, 303);
    assert.equal(removed.headers.location, '/webhooks');
    assert.deepEqual(await listWebhooks(api.store), []);
    const audit = (await listAuditLog(api.store, { entity: 'webhook' })).entries.reverse();
    assert.deepEqual(
      audit.map((entry) => [entry.action, entry.actor]),
      [
        ['webhook.create', 'local:bob'],
        ['webhook.disable', 'local:bob'],
        ['webhook.enable', 'local:bob'],
        ['webhook.remove', 'local:bob'],
      ],
    );
  });

  it('shows failing deliveries with their errors and next tries, and a webhook disabled after a day of failures with the reason', async (t) => {
    const { api, bob } = await setUp(t);
    const receiver = await startWebhookReceiver(t);
    receiver.answer.status = 500;
    await bob.post('/webhooks', addFields(receiver.url));
    const [webhook] = await listWebhooks(api.store);
    assert.ok(webhook);
    const opened = await api.postStatus({ name: 'Elastic Cloud Server', impact: 2, attributes: [{ name: 'region', value: 'EU-DE' }] });
    assert.equal(opened.statusCode, 201, opened.body);
    await testNotifier(t, api).runOnce();
    const failing = textOf((await bob.get('/webhooks')).body);
    assert.match(failing, /Failing since 2026-03-10 12:00 UTC/);
    assert.match(failing, / 1 event 1 waiting 1 HTTP 500: nope 2026-03-10 12:00 UTC not yet/, 'tried once, the next try 30 s later');
    assert.ok((await bob.get('/webhooks')).body.includes('<time datetime="2026-03-10T12:00:30.000Z">'), 'the next try, to the second for scripts');

    // A day later the receiver still fails: the webhook is disabled, and the page says why.
    api.clock.advance(26 * HOUR);
    assert.equal(await noteWebhookOutcome(api.store, webhook.id, { ok: false, error: 'HTTP 500: nope' }, api.clock.now), 'disabled');
    // Bob's session ended meanwhile (12 hours); Olga is on duty.
    const olga = await logInOperator(api, 'olga', 'operator');
    const disabled = textOf((await olga.get('/webhooks')).body);
    assert.match(disabled, /1 webhook is disabled/);
    assert.match(disabled, /Disabled: every delivery failed since 2026-03-10T12:00:00\.000Z: HTTP 500: nope/);
    assert.match(disabled, / 1 event 1 failed 1 the webhook was disabled none not yet/);
  });
});
