// Issue 18, crash safety with a real process: a server killed (SIGKILL) after the change was
// committed and while its webhook delivery was on its way, never settled, does not lose the news.
// Once the dead instance's claim has run out, the next instance sends it again under the same
// idempotency key (the receiver can drop the repeat), settles it, and never sends it a third time.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { signApiToken } from '../../src/auth/api-tokens.js';
import type { NotificationScope } from '../../src/domain/notifications/scope.js';
import { databaseOf } from '../../src/storage/database-of.js';
import { openStore } from '../../src/storage/store.js';
import { addWebhook } from '../../src/storage/webhooks.js';
import { createTestDatabase, describeEachDatabase, TEST_TIMEOUTS } from '../helpers/database.js';
import { startServerProcess } from '../helpers/server-process.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';

const SECRET = 'killed-mid-delivery-secret';
const CLOUD: NotificationScope = { place: { kind: 'cloud' }, incidents: 1, maintenances: true, notices: true };

async function until(what: string, done: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`waited ${ms} ms for ${what}`);
    await sleep(100);
  }
}

describeEachDatabase('a server killed in the middle of a delivery', () => {
  it('leaves the delivery to the next instance, which sends it once more under the same key and then never again', { timeout: 120_000 }, async (t) => {
    const folder = tempFolder(t, 'killed');
    const { url: databaseUrl } = await createTestDatabase(t, { file: join(folder, 'status.db') });
    const catalog = join(folder, 'catalog.yaml');
    writeFileSync(catalog, 'components:\n  - name: Compute\n    attributes: {region: EU-1, category: Core, type: ecs}\n');
    const env = { SD_DATABASE_URL: databaseUrl, SD_SECRET_KEY: SECRET, SD_CATALOG: catalog, SD_DATA_DIR: folder, SD_WEBHOOK_ALLOW_PRIVATE: 'true' };
    const receiver = await startWebhookReceiver(t);
    // The first attempt reaches the receiver, which keeps it waiting: the delivery is claimed and on its way.
    receiver.answer.hang = true;

    const first = await startServerProcess(t, env);
    const store = openStore(databaseUrl, TEST_TIMEOUTS);
    t.after(() => store.close());
    await addWebhook(store, { url: receiver.url, format: 'json', secret: 'whsec_test', scope: CLOUD }, Date.now(), 'test');
    const token = await signApiToken({ secretKey: SECRET, payloadKey: 'stackmon' }, { subject: 'probe' });
    const report = await fetch(`${first.url}/api/v1/component_status`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Compute', impact: 2, attributes: [{ name: 'region', value: 'EU-1' }] }),
    });
    assert.equal(report.status, 201, await report.text());
    await until('the first attempt', () => receiver.received.length === 1);

    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    const deliveries = () => databaseOf(store).selectFrom('delivery').select(['id', 'state', 'attempts', 'claimed_until']).execute();
    const [claimed, ...others] = await deliveries();
    assert.deepEqual(others, []);
    assert.equal(claimed?.state, 'sending', 'claimed by the dead instance, never settled');
    // Its claim would run out a minute after it was made; the test moves that moment to now instead of waiting.
    await databaseOf(store).updateTable('delivery').set({ claimed_until: Date.now() - 1 }).execute();
    receiver.answer.hang = false;

    await startServerProcess(t, env);
    await until('the attempt of the next instance', () => receiver.received.length === 2);
    const keys = receiver.received.map((delivery) => delivery.headers['idempotency-key']);
    assert.ok(keys[0], 'an idempotency key');
    assert.equal(keys[1], keys[0], 'the same key: the receiver drops the repeat');
    const body = JSON.parse(receiver.received[1]?.body ?? '{}') as { changes?: { kind: string }[] };
    assert.equal(body.changes?.[0]?.kind, 'opened');
    // A few of the next instance's passes (one a second) send nothing more.
    await sleep(3_000);
    assert.equal(receiver.received.length, 2);
    const [settled] = await deliveries();
    assert.deepEqual([settled?.state, Number(settled?.attempts)], ['sent', 2]);
  });
});
