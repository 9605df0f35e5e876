// Issue 18: two server processes on one database share the deliveries: each of 1,000 arrives at
// the receiver exactly once, whichever instance claimed it.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { signApiToken } from '../../src/auth/api-tokens.js';
import { openStore } from '../../src/storage/store.js';
import { addWebhook } from '../../src/storage/webhooks.js';
import { DAY, MINUTE } from '../helpers/clock.js';
import { createTestDatabase, describeEachDatabase, TEST_TIMEOUTS } from '../helpers/database.js';
import { startServerProcess } from '../helpers/server-process.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';

const SECRET = 'two-instances-deliveries-secret';
const WEBHOOKS = 10;
const EVENTS = 100;

describeEachDatabase('deliveries from two server processes', () => {
  it(`delivers each of ${WEBHOOKS * EVENTS} deliveries exactly once`, { timeout: 180_000 }, async (t) => {
    const folder = tempFolder(t, 'deliveries');
    const { url: databaseUrl } = await createTestDatabase(t, { file: join(folder, 'status.db') });
    const catalog = join(folder, 'catalog.yaml');
    writeFileSync(catalog, `components:\n${Array.from({ length: 10 }, (_, index) => `  - name: Service ${index}\n    attributes: {region: EU-1, category: Core, type: s${index}}\n`).join('')}`);
    const env = { SD_DATABASE_URL: databaseUrl, SD_SECRET_KEY: SECRET, SD_CATALOG: catalog, SD_DATA_DIR: folder, SD_WEBHOOK_ALLOW_PRIVATE: 'true', SD_PUBLIC_URL: 'https://status.example.org' };
    const instances = await Promise.all([startServerProcess(t, env), startServerProcess(t, env)]);
    const receiver = await startWebhookReceiver(t);
    const store = openStore(databaseUrl, TEST_TIMEOUTS);
    t.after(() => store.close());
    for (let index = 0; index < WEBHOOKS; index++) {
      await addWebhook(store, { url: `${receiver.url}/${index}`, format: 'json', secret: 'whsec_test', scope: { place: { kind: 'cloud' }, incidents: 1, maintenances: true, notices: true } }, Date.now(), 'test');
    }

    // A hundred maintenances, opened on either instance: each is news for every webhook.
    const token = await signApiToken({ secretKey: SECRET, payloadKey: 'stackmon' }, { subject: 'planner' });
    const start = Date.now() + 2 * DAY;
    for (let index = 0; index < EVENTS; index++) {
      const response = await fetch(`${instances[index % 2]?.url}/v2/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ title: `Upgrade ${index}`, type: 'maintenance', impact: 0, components: [1 + (index % 10)], start_date: new Date(start + index * MINUTE).toISOString(), end_date: new Date(start + (index + 60) * MINUTE).toISOString() }),
      });
      assert.equal(response.status, 200, await response.text());
    }

    const expected = WEBHOOKS * EVENTS;
    const deadline = Date.now() + 120_000;
    while (receiver.received.length < expected && Date.now() < deadline) await sleep(250);
    // Any repeat would come within a claim's time or a pass; a few more passes show there is none.
    await sleep(3_000);
    const keys = receiver.received.map((delivery) => String(delivery.headers['idempotency-key']));
    assert.equal(keys.length, expected, `${keys.length} arrived`);
    assert.equal(new Set(keys).size, expected, 'no delivery arrived twice');
    const perInstance = await Promise.all(instances.map(async (instance) => (await fetch(`${instance.url}/healthz`)).status));
    assert.deepEqual(perInstance, [200, 200]);
  });
});
