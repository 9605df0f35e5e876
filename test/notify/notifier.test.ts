// Issue 18: the outbox and its delivery worker, with a real HTTP receiver on loopback: every change
// announced once to the targets whose scope it concerns, bursts coalesced, failures retried with
// backoff, nothing lost when an instance stops between the commit and the delivery, and each
// delivery claimed by one instance only.
import assert from 'node:assert/strict';
import { it, type TestContext } from 'node:test';
import type { NotificationScope } from '../../src/domain/notifications/scope.js';
import { claimDeliveries, recentDeliveries } from '../../src/storage/deliveries.js';
import { fanOut } from '../../src/storage/fan-out.js';
import { openStore } from '../../src/storage/store.js';
import { addWebhook } from '../../src/storage/webhooks.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { MINUTE } from '../helpers/clock.js';
import { createTestDatabase, describeEachDatabase, TEST_TIMEOUTS } from '../helpers/database.js';
import { createComponents } from '../helpers/factories.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';
import { testNotifier } from '../helpers/notifier.js';
import { setTimeout as sleep } from 'node:timers/promises';

const EU_DE: NotificationScope = { place: { kind: 'region', region: 'EU-DE' }, incidents: 1, maintenances: true, notices: true };

async function setUp(t: TestContext, scope: NotificationScope = EU_DE) {
  const { store, url } = await createTestDatabase(t);
  const api = await buildTestApp(t, { store });
  await createComponents(api.store, [
    ['Elastic Cloud Server', { category: 'Compute', region: 'EU-DE', type: 'ecs' }],
    ['Object Storage Service', { category: 'Storage', region: 'EU-DE', type: 'obs' }],
    ['Elastic Cloud Server', { category: 'Compute', region: 'EU-NL', type: 'ecs' }],
  ]);
  const receiver = await startWebhookReceiver(t);
  const webhook = await addWebhook(api.store, { url: receiver.url, format: 'json', secret: 'whsec_test', scope }, api.clock.now, 'test');
  const notifier = testNotifier(t, api);
  /** Another pool on the same database, as a second instance has (SQLite in memory: the same one). */
  const secondStore = () => {
    if (store.dialect === 'sqlite') return store;
    const other = openStore(url, TEST_TIMEOUTS);
    t.after(() => other.close());
    return other;
  };
  return { api, receiver, webhook, notifier, secondStore };
}

const CLOUD: NotificationScope = { place: { kind: 'cloud' }, incidents: 1, maintenances: true, notices: true };

/** `count` webhooks more at the receiver, all of the cloud: an incident is news for each. */
async function moreWebhooks(api: TestApp, url: string, count: number): Promise<number[]> {
  const ids = [];
  for (let index = 0; index < count; index++) ids.push((await addWebhook(api.store, { url: `${url}/${index}`, format: 'json', secret: 'whsec_test', scope: CLOUD }, api.clock.now, 'test')).id);
  return ids;
}

/** How the deliveries to these webhooks stand, as state and tries, in the webhooks' order. */
const standing = async (api: TestApp, webhookIds: readonly number[]) =>
  Promise.all(webhookIds.map(async (id) => (await recentDeliveries(api.store, 'webhook', id)).map((delivery) => `${delivery.state} ${delivery.attempts}`).join()));

async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 5) {
    if (waited > 5_000) throw new Error('waited 5 s in vain');
    await sleep(5);
  }
}

const report = (api: TestApp, name: string, region: string, impact = 2) => api.postStatus({ name, impact, attributes: [{ name: 'region', value: region }] });
const bodies = (received: { body: string }[]) => received.map((delivery) => JSON.parse(delivery.body) as { id: string; event_id: number; changes: { kind: string }[] });

describeEachDatabase('notifications: the outbox and its worker (issue 18)', () => {
  it('announces an incident in the scope once, what changes later, and nothing outside the scope', async (t) => {
    const { api, receiver, notifier } = await setUp(t);
    assert.equal((await report(api, 'Elastic Cloud Server', 'EU-DE')).statusCode, 201);
    assert.equal((await report(api, 'Elastic Cloud Server', 'EU-NL')).statusCode, 201);
    await notifier.runOnce();
    assert.equal(receiver.received.length, 1);
    const [first] = bodies(receiver.received);
    assert.deepEqual(first?.changes.map((change) => change.kind), ['opened']);
    await notifier.runOnce();
    assert.equal(receiver.received.length, 1, 'nothing new, nothing sent');

    api.clock.advance(2 * MINUTE);
    await report(api, 'Object Storage Service', 'EU-DE');
    await notifier.runOnce();
    assert.deepEqual(bodies(receiver.received).map((body) => body.changes.map((change) => change.kind)), [['opened'], ['components-added']]);
  });

  it('coalesces the changes of a window into one delivery, due a window after the last one', async (t) => {
    const { api, receiver, notifier } = await setUp(t);
    await report(api, 'Elastic Cloud Server', 'EU-DE', 1);
    await notifier.runOnce();
    // The incident holds only this service: monitoring raises its impact, twice.
    api.clock.advance(10_000);
    await report(api, 'Elastic Cloud Server', 'EU-DE', 2);
    await notifier.runOnce();
    api.clock.advance(10_000);
    await report(api, 'Elastic Cloud Server', 'EU-DE', 3);
    await notifier.runOnce();
    assert.equal(receiver.received.length, 1, 'the window has not passed');
    api.clock.advance(MINUTE);
    await notifier.runOnce();
    assert.equal(receiver.received.length, 2);
    assert.deepEqual(bodies(receiver.received)[1]?.changes, [
      { kind: 'impact', from: 1, to: 2 },
      { kind: 'impact', from: 2, to: 3 },
    ]);
  });

  it('retries a failing receiver with backoff under the same idempotency key, and sends once it answers', async (t) => {
    const { api, receiver, notifier } = await setUp(t);
    receiver.answer.status = 500;
    await report(api, 'Elastic Cloud Server', 'EU-DE');
    await notifier.runOnce();
    await notifier.runOnce();
    assert.equal(receiver.received.length, 1, 'not again before its time');
    api.clock.advance(31_000);
    receiver.answer.status = 200;
    await notifier.runOnce();
    assert.equal(receiver.received.length, 2);
    const keys = receiver.received.map((delivery) => delivery.headers['idempotency-key']);
    assert.equal(keys[0], keys[1]);
    api.clock.advance(10 * MINUTE);
    await notifier.runOnce();
    assert.equal(receiver.received.length, 2, 'sent means done');
  });

  it('delivers, once, what an instance that stopped after the commit left undone: unclaimed, or claimed and never settled', async (t) => {
    const { api, receiver } = await setUp(t);
    await report(api, 'Elastic Cloud Server', 'EU-DE');
    // An instance fans out and claims, then dies before it sends: its claim runs out.
    const dying = testNotifier(t, api);
    await dying.stop();
    await fanOut(api.store, api.clock.read, { reminderLeads: [], coalesceMs: MINUTE });
    const claimed = await claimDeliveries(api.store, api.clock.now, 10, MINUTE);
    assert.equal(claimed.length, 1);
    const restarted = testNotifier(t, api);
    await restarted.runOnce();
    assert.equal(receiver.received.length, 0, 'the claim still holds');
    api.clock.advance(MINUTE + 1);
    await restarted.runOnce();
    await restarted.runOnce();
    assert.equal(receiver.received.length, 1);
    assert.equal(receiver.received[0]?.headers['idempotency-key'], `delivery-${claimed[0]?.id}-${claimed[0]?.createdAt.toString(36)}`);
  });

  it('gives each of many deliveries to one of two instances claiming at once: every one arrives exactly once', async (t) => {
    const { api, receiver, secondStore } = await setUp(t, { place: { kind: 'cloud' }, incidents: 1, maintenances: true, notices: true });
    for (let index = 0; index < 19; index++) await addWebhook(api.store, { url: `${receiver.url}/${index}`, format: 'json', secret: 'whsec_test', scope: { place: { kind: 'cloud' }, incidents: 1, maintenances: true, notices: true } }, api.clock.now, 'test');
    // 20 webhooks, 10 events: 200 deliveries.
    const start = api.clock.now + 24 * 60 * MINUTE;
    for (let index = 0; index < 10; index++) {
      const response = await api.app.inject({
        method: 'POST',
        url: '/v2/events',
        headers: { authorization: api.auth },
        payload: { title: `Upgrade ${index}`, type: 'maintenance', impact: 0, components: [1], start_date: new Date(start + index * MINUTE).toISOString(), end_date: new Date(start + (index + 30) * MINUTE).toISOString() },
      });
      assert.equal(response.statusCode, 200, response.body);
    }
    const second = testNotifier(t, api, {}, secondStore());
    const first = testNotifier(t, api);
    for (let round = 0; round < 40 && receiver.received.length < 200; round++) await Promise.all([first.runOnce(), second.runOnce()]);
    const keys = receiver.received.map((delivery) => String(delivery.headers['idempotency-key']));
    assert.equal(keys.length, 200);
    assert.equal(new Set(keys).size, 200, 'no delivery arrived twice');
  });

  it('claims more than it sends at once, and sends `concurrency` at a time', async (t) => {
    const { api, receiver, webhook } = await setUp(t, CLOUD);
    const hooks = [webhook.id, ...(await moreWebhooks(api, receiver.url, 5))];
    const notifier = testNotifier(t, api, { concurrency: 2, claimSize: 6 });
    receiver.answer.delayMs = 20;
    await report(api, 'Elastic Cloud Server', 'EU-DE');
    await notifier.runOnce();
    assert.equal(receiver.received.length, 6);
    assert.equal(receiver.open.most, 2);
    assert.deepEqual(await standing(api, hooks), Array(6).fill('sent 1'));
  });

  it('hands back untried what waited for a slot until half its claim was gone: due again at once, its try not counted', async (t) => {
    const { api, receiver, webhook } = await setUp(t, CLOUD);
    const hooks = [webhook.id, ...(await moreWebhooks(api, receiver.url, 3))];
    // A long pause before claiming again: this run shows what the first claim did, and no second.
    const notifier = testNotifier(t, api, { concurrency: 1, claimSize: 4, webhookTimeoutMs: 200, paceMs: MINUTE });
    receiver.answer.hang = true;
    await report(api, 'Elastic Cloud Server', 'EU-DE');
    const run = notifier.runOnce();
    await until(() => receiver.received.length === 1);
    // The first holds the only slot until its timeout; meanwhile half the claim's minute goes by.
    api.clock.advance(MINUTE / 2 + 1);
    receiver.answer.hang = false;
    await run;
    assert.equal(receiver.received.length, 1, 'the others were not sent on the old claim');
    assert.deepEqual(await standing(api, hooks), ['pending 1', 'pending 0', 'pending 0', 'pending 0']);
    await notifier.runOnce();
    assert.equal(receiver.received.length, 4, 'due at once, not after a backoff');
    assert.deepEqual(await standing(api, hooks), ['pending 1', 'sent 1', 'sent 1', 'sent 1']);
  });

  it('hands back, when it stops, what it claimed and has not started', async (t) => {
    const { api, receiver, webhook } = await setUp(t, CLOUD);
    const hooks = [webhook.id, ...(await moreWebhooks(api, receiver.url, 3))];
    const notifier = testNotifier(t, api, { concurrency: 1, claimSize: 4, webhookTimeoutMs: 200 });
    receiver.answer.hang = true;
    await report(api, 'Elastic Cloud Server', 'EU-DE');
    void notifier.runOnce();
    await until(() => receiver.received.length === 1);
    await notifier.stop();
    assert.equal(receiver.received.length, 1);
    assert.deepEqual(await standing(api, hooks), ['pending 1', 'pending 0', 'pending 0', 'pending 0']);
    // Another instance takes them at once.
    receiver.answer.hang = false;
    await testNotifier(t, api).runOnce();
    assert.deepEqual(await standing(api, hooks), ['pending 1', 'sent 1', 'sent 1', 'sent 1']);
  });
});
