// Issue 18: webhooks as a receiver sees them. Webhooks added through API v2, a real HTTP receiver
// on loopback, the notifier driven by hand on the test's clock: news in the scope and nothing
// else, each format's body, a signature that verifies as docs/notifications.md shows, one
// idempotency key across retries, backoff, timeouts, giving up and disabling after a day, and no
// request to a private address when SD_WEBHOOK_ALLOW_PRIVATE is off.
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { it, type TestContext } from 'node:test';
import type { NotificationScope } from '../../src/domain/notifications/scope.js';
import type { NotifierSettings } from '../../src/notify/notifier.js';
import { SIGNATURE_HEADER } from '../../src/notify/webhook-client.js';
import { listAuditLog } from '../../src/storage/audit-log.js';
import { addWebhook } from '../../src/storage/webhooks.js';
import { buildTestApp } from '../helpers/app.js';
import { HOUR, MINUTE } from '../helpers/clock.js';
import { describeEachDatabase } from '../helpers/database.js';
import { createComponents } from '../helpers/factories.js';
import { startWebhookReceiver, type ReceivedWebhook } from '../helpers/webhook-receiver.js';
import { testNotifier, TEST_PUBLIC_URL } from '../helpers/notifier.js';

const PUBLIC_URL = TEST_PUBLIC_URL;


interface Delivery {
  id: number;
  kind: string;
  state: string;
  attempts: number;
  last_error?: string;
  next_attempt_at?: string;
  sent_at?: string;
}
interface WebhookJson {
  id: number;
  secret: string;
  enabled: boolean;
  disabled_reason?: string;
  failing_since?: string;
  deliveries: Delivery[];
}

async function setUp(t: TestContext, settings: Partial<NotifierSettings> = {}) {
  const api = await buildTestApp(t, { publicUrl: PUBLIC_URL });
  const [germany, netherlands] = await createComponents(api.store, [
    ['Elastic Cloud Server', { category: 'Compute', region: 'EU-DE', type: 'ecs' }],
    ['Elastic Cloud Server', { category: 'Compute', region: 'EU-NL', type: 'ecs' }],
  ]);
  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => api.app.inject({ method, url, headers: { authorization: api.auth }, ...(payload ? { payload } : {}) });
  /** A webhook added through the API, as a customer would: its answer holds the secret. */
  const addHook = async (url: string, format = 'json', scope: Partial<NotificationScope> = { place: { kind: 'region', region: 'EU-DE' } }) => {
    const response = await call('POST', '/api/v2/webhooks', { url, format, scope });
    assert.equal(response.statusCode, 201, response.body);
    return response.json<WebhookJson>();
  };
  const webhookOf = async (id: number) => (await call('GET', `/api/v2/webhooks/${id}`)).json<WebhookJson>();
  const openIncident = async (componentId: number, title = 'Servers do not start') => {
    const response = await call('POST', '/v2/events', { title, type: 'incident', impact: 2, components: [componentId], start_date: new Date(api.clock.now).toISOString() });
    assert.equal(response.statusCode, 200, response.body);
    return response.json<{ result: { incident_id: number }[] }>().result[0]?.incident_id ?? 0;
  };
  return { api, call, addHook, webhookOf, openIncident, germany: germany?.id ?? 0, netherlands: netherlands?.id ?? 0, notifier: testNotifier(t, api, settings) };
}

/**
 * How a receiver checks a delivery: the Node.js function of docs/notifications.md ("Verifying the
 * signature"), typed. The HMAC-SHA256 of `<t>.<raw body>` under the secret, compared in constant
 * time, and a timestamp no more than five minutes from the receiver's clock.
 */
const TOLERANCE_SECONDS = 300;
function verifyStatusDashboard(secret: string, header: string | undefined, rawBody: Buffer | string, now = Date.now()): boolean {
  const fields = Object.fromEntries((header ?? '').split(',').map((part) => part.split('=', 2))) as Record<string, string | undefined>;
  const timestamp = Number(fields.t);
  if (!Number.isInteger(timestamp) || Math.abs(now / 1000 - timestamp) > TOLERANCE_SECONDS) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
  const given = Buffer.from(fields.v1 ?? '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
const verifySignature = (secret: string, header: string | undefined, rawBody: string, nowSeconds: number) => verifyStatusDashboard(secret, header, Buffer.from(rawBody), nowSeconds * 1000);

const bodyOf = <T = Record<string, unknown>>(delivery: ReceivedWebhook | undefined): T => JSON.parse(delivery?.body ?? 'null') as T;

describeEachDatabase('webhooks: what a receiver gets (issue 18)', () => {
  it('delivers an incident opened through the API to the webhook whose scope holds it, signed, with the event as API v2 shows it; the other hears nothing', async (t) => {
    const { api, addHook, openIncident, notifier, germany } = await setUp(t);
    const [inScope, elsewhere] = [await startWebhookReceiver(t), await startWebhookReceiver(t)];
    const hook = await addHook(inScope.url);
    await addHook(elsewhere.url, 'json', { place: { kind: 'region', region: 'EU-NL' } });
    const eventId = await openIncident(germany);
    await notifier.runOnce();
    assert.equal(elsewhere.received.length, 0, 'outside its scope');
    assert.equal(inScope.received.length, 1);
    const [delivery] = inScope.received;
    const seconds = Math.floor(api.clock.now / 1000);
    assert.equal(verifySignature(hook.secret, delivery?.headers[SIGNATURE_HEADER] as string, delivery?.body ?? '', seconds), true);
    assert.equal(verifySignature('whsec_another', delivery?.headers[SIGNATURE_HEADER] as string, delivery?.body ?? '', seconds), false);
    assert.equal(verifySignature(hook.secret, delivery?.headers[SIGNATURE_HEADER] as string, `${delivery?.body ?? ''} `, seconds), false, 'a changed body fails');
    assert.equal(verifySignature(hook.secret, delivery?.headers[SIGNATURE_HEADER] as string, delivery?.body ?? '', seconds + 301), false, 'an old one fails');
    assert.equal(SIGNATURE_HEADER, 'x-status-dashboard-signature', 'the name docs/notifications.md gives');
    assert.equal(delivery?.headers['content-type'], 'application/json');
    const body = bodyOf<{ id: string; event_id: number; title: string; url: string; changes: unknown[]; summary: string[]; event: unknown; sent_at: string }>(delivery);
    assert.equal(delivery?.headers['idempotency-key'], body.id);
    assert.equal(delivery?.headers['x-status-dashboard-delivery'], body.id);
    const asApiShowsIt = await api.app.inject({ method: 'GET', url: `/api/v2/events/${eventId}` });
    assert.deepEqual(body, {
      id: body.id,
      event_id: eventId,
      title: '[Major incident, detected] Servers do not start',
      url: `${PUBLIC_URL}/incidents/${eventId}`,
      changes: [{ kind: 'opened' }],
      summary: ['Major incident opened, affecting Elastic Cloud Server (Compute, EU-DE, ecs).'],
      event: asApiShowsIt.json(),
      sent_at: new Date(api.clock.now).toISOString(),
    });
  });

  it('speaks each format: our JSON, Slack blocks, a Teams adaptive card and Discord embeds', async (t) => {
    const { addHook, openIncident, notifier, germany } = await setUp(t);
    const receivers = { json: await startWebhookReceiver(t), slack: await startWebhookReceiver(t), teams: await startWebhookReceiver(t), discord: await startWebhookReceiver(t) };
    for (const [format, receiver] of Object.entries(receivers)) await addHook(receiver.url, format);
    const eventId = await openIncident(germany, 'Servers <b>do not</b> start');
    await notifier.runOnce();
    const title = '[Major incident, detected] Servers <b>do not</b> start';
    const url = `${PUBLIC_URL}/incidents/${eventId}`;
    const line = 'Major incident opened, affecting Elastic Cloud Server (Compute, EU-DE, ecs).';
    assert.equal(bodyOf(receivers.json.received[0]).title, title);
    assert.deepEqual(bodyOf(receivers.slack.received[0]), {
      text: `[Major incident, detected] Servers &lt;b&gt;do not&lt;/b&gt; start: ${url}`,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `*<${url}|[Major incident, detected] Servers &lt;b&gt;do not&lt;/b&gt; start>*` } },
        { type: 'section', text: { type: 'mrkdwn', text: line } },
      ],
    });
    assert.deepEqual(bodyOf(receivers.teams.received[0]), {
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          content: {
            $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
            type: 'AdaptiveCard',
            version: '1.4',
            body: [
              { type: 'TextBlock', text: title, weight: 'Bolder', size: 'Medium', wrap: true },
              { type: 'TextBlock', text: line, wrap: true },
            ],
            actions: [{ type: 'Action.OpenUrl', title: 'Open', url }],
          },
        },
      ],
    });
    const discord = bodyOf<{ content: string; embeds: { title: string; url: string; description: string }[]; allowed_mentions: unknown }>(receivers.discord.received[0]);
    assert.deepEqual(discord.embeds, [{ title, url, description: 'Major incident opened, affecting Elastic Cloud Server \\(Compute, EU\\-DE, ecs\\).' }]);
    assert.deepEqual(discord.allowed_mentions, { parse: [] }, 'no @everyone from an incident title');
    assert.equal(discord.content, '\\[Major incident, detected\\] Servers <b\\>do not</b\\> start', 'markdown escaped');
  });

  it('sends a test on request, also to a disabled webhook, and shows it among the deliveries', async (t) => {
    const { api, call, addHook, webhookOf, notifier } = await setUp(t);
    const receiver = await startWebhookReceiver(t);
    const hook = await addHook(receiver.url, 'json');
    assert.equal((await call('PATCH', `/api/v2/webhooks/${hook.id}`, { enabled: false })).statusCode, 200);
    const queued = await call('POST', `/api/v2/webhooks/${hook.id}/test`);
    assert.equal(queued.statusCode, 202);
    await notifier.runOnce();
    assert.equal(receiver.received.length, 1);
    const body = bodyOf<{ title: string; event_id: number; summary: string[]; url: string }>(receiver.received[0]);
    assert.deepEqual([body.title, body.event_id, body.summary, body.url], ['[Notice, completed] Test message from Test Status', 0, ['test: This is a test: the webhook works.'], `${PUBLIC_URL}/`]);
    assert.equal(verifySignature(hook.secret, receiver.received[0]?.headers[SIGNATURE_HEADER] as string, receiver.received[0]?.body ?? '', Math.floor(api.clock.now / 1000)), true);
    const [delivery] = (await webhookOf(hook.id)).deliveries;
    assert.deepEqual([delivery?.kind, delivery?.state, delivery?.attempts, delivery?.sent_at], ['test', 'sent', 1, new Date(api.clock.now).toISOString()]);
  });

  it('retries a receiver that answers 500 with growing waits under one idempotency key, and says so until it arrives', async (t) => {
    const { api, addHook, webhookOf, openIncident, notifier, germany } = await setUp(t);
    const receiver = await startWebhookReceiver(t);
    const hook = await addHook(receiver.url);
    receiver.answer.status = 500;
    await openIncident(germany);
    const startedAt = api.clock.now;
    const waits = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      await notifier.runOnce();
      assert.equal(receiver.received.length, attempt);
      const [delivery] = (await webhookOf(hook.id)).deliveries;
      assert.equal(delivery?.state, 'pending');
      assert.equal(delivery?.attempts, attempt);
      assert.equal(delivery?.last_error, 'HTTP 500: nope');
      const due = Date.parse(delivery?.next_attempt_at ?? '');
      waits.push(due - api.clock.now);
      await notifier.runOnce();
      assert.equal(receiver.received.length, attempt, 'not again before its time');
      api.clock.now = due;
    }
    assert.deepEqual(waits, [30_000, 60_000, 120_000, 240_000], 'exponential backoff (no jitter in this test)');
    assert.equal((await webhookOf(hook.id)).failing_since, new Date(startedAt).toISOString());
    receiver.answer.status = 204;
    await notifier.runOnce();
    const after = await webhookOf(hook.id);
    assert.deepEqual([after.deliveries[0]?.state, after.deliveries[0]?.attempts, after.deliveries[0]?.last_error, after.failing_since], ['sent', 5, undefined, undefined]);
    const keys = new Set(receiver.received.map((delivery) => delivery.headers['idempotency-key']));
    assert.equal(keys.size, 1, 'the same key on every try');
    const stamps = receiver.received.map((delivery) => /t=(\d+)/.exec(String(delivery.headers[SIGNATURE_HEADER]))?.[1]);
    assert.equal(new Set(stamps).size, 5, 'each try signed at its own time');
  });

  it('gives up on a receiver that never answers within the timeout, tries it again later, and delivers once it answers', async (t) => {
    // Room for the answer of a receiver in this process on a loaded CI machine (150 ms left little).
    const { api, addHook, webhookOf, openIncident, notifier, germany } = await setUp(t, { webhookTimeoutMs: 1_000 });
    const receiver = await startWebhookReceiver(t);
    const hook = await addHook(receiver.url);
    receiver.answer.hang = true;
    await openIncident(germany);
    await notifier.runOnce();
    const [waiting] = (await webhookOf(hook.id)).deliveries;
    assert.deepEqual([waiting?.state, waiting?.attempts, waiting?.last_error], ['pending', 1, 'no answer within 1000 ms']);
    receiver.answer.hang = false;
    api.clock.now = Date.parse(waiting?.next_attempt_at ?? '');
    await notifier.runOnce();
    assert.equal((await webhookOf(hook.id)).deliveries[0]?.state, 'sent');
    assert.equal(receiver.received.length, 2);
    assert.equal(receiver.received[0]?.headers['idempotency-key'], receiver.received[1]?.headers['idempotency-key']);
  });

  it('fails a delivery after a day of tries and disables the webhook, saying why; re-enabled, it hears of the next change', async (t) => {
    const { api, call, addHook, webhookOf, openIncident, notifier, germany } = await setUp(t);
    const receiver = await startWebhookReceiver(t);
    const hook = await addHook(receiver.url);
    receiver.answer.status = 503;
    const startedAt = api.clock.now;
    const eventId = await openIncident(germany);
    let delivery: Delivery | undefined;
    for (let round = 0; round < 60; round++) {
      await notifier.runOnce();
      delivery = (await webhookOf(hook.id)).deliveries[0];
      if (delivery?.state !== 'pending') break;
      api.clock.now = Date.parse(delivery.next_attempt_at ?? '');
    }
    assert.equal(delivery?.state, 'failed', 'given up');
    assert.ok(api.clock.now - startedAt >= 26 * HOUR && api.clock.now - startedAt < 27 * HOUR, `tried for ${(api.clock.now - startedAt) / HOUR} h`);
    assert.ok((delivery?.attempts ?? 0) > 20 && receiver.received.length === delivery?.attempts, `${delivery?.attempts} tries`);
    const disabled = await webhookOf(hook.id);
    assert.equal(disabled.enabled, false);
    assert.equal(disabled.disabled_reason, `every delivery failed since ${new Date(startedAt).toISOString()}: HTTP 503: nope`);
    const [audited] = (await listAuditLog(api.store, { entity: 'webhook', action: 'webhook.disable' })).entries;
    assert.deepEqual([audited?.actor, audited?.entityId], ['system:notifications', hook.id]);

    // Disabled, it hears nothing; enabled again (and the receiver back), it hears the next change.
    receiver.answer.status = 200;
    const before = receiver.received.length;
    const update = (status: string, message: string) =>
      api.app.inject({ method: 'PATCH', url: `/v2/events/${eventId}`, headers: { authorization: api.auth }, payload: { status, message, update_date: new Date(api.clock.now).toISOString() } });
    assert.equal((await update('analysing', 'A broken switch.')).statusCode, 200);
    await notifier.runOnce();
    assert.equal(receiver.received.length, before, 'a disabled webhook hears nothing');
    const again = await call('PATCH', `/api/v2/webhooks/${hook.id}`, { enabled: false });
    assert.equal(again.json<WebhookJson>().disabled_reason, disabled.disabled_reason, 'disabling it again keeps the reason');
    assert.equal((await listAuditLog(api.store, { entity: 'webhook', action: 'webhook.disable' })).entries.length, 1);
    const enabled = await call('PATCH', `/api/v2/webhooks/${hook.id}`, { enabled: true });
    assert.equal(enabled.json<WebhookJson>().enabled, true);
    assert.equal(enabled.json<WebhookJson>().disabled_reason, undefined);
    api.clock.advance(MINUTE);
    assert.equal((await update('fixing', 'Replacing it.')).statusCode, 200);
    await notifier.runOnce();
    assert.equal(receiver.received.length, before + 1);
    assert.deepEqual(bodyOf(receiver.received.at(-1)).summary, ['fixing: Replacing it.']);
    assert.equal((await webhookOf(hook.id)).deliveries[0]?.state, 'sent');
  });

  it('sends nothing to a private address when SD_WEBHOOK_ALLOW_PRIVATE is off, whatever the stored URL says', async (t) => {
    const { api, webhookOf, openIncident, notifier, germany } = await setUp(t, { allowPrivateWebhooks: false });
    const receiver = await startWebhookReceiver(t);
    const port = new URL(receiver.url).port;
    const scope: NotificationScope = { place: { kind: 'cloud' }, incidents: 1, maintenances: true, notices: true };
    // Stored as they would be had the setting been on when they were added (or DNS changed since).
    const urls = [receiver.url, `http://localhost:${port}/hook`, `http://[::ffff:127.0.0.1]:${port}/hook`, 'http://169.254.169.254/latest/meta-data/', 'http://10.0.0.1/hook', 'http://[::1]:9/hook'];
    const hooks = [];
    for (const url of urls) hooks.push(await addWebhook(api.store, { url, format: 'json', secret: 'whsec_x', scope }, api.clock.now, 'test'));
    await openIncident(germany);
    await notifier.runOnce();
    assert.equal(receiver.received.length, 0, 'nothing reached the receiver on loopback');
    for (const [index, hook] of hooks.entries()) {
      const [delivery] = (await webhookOf(hook.id)).deliveries;
      assert.equal(delivery?.state, 'failed', `${urls[index]}: given up at once, not retried`);
      assert.equal(delivery?.attempts, 1);
      assert.match(delivery?.last_error ?? '', /private address/, `${urls[index]}: ${delivery?.last_error}`);
    }
  });
});
