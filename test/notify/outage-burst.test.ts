// Issue 18: a whole-cloud outage of 500 reports that open one incident gives each target one
// message about it at once, then at most one per coalescing window while the incident keeps
// changing; nothing is lost at the end.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { NotificationScope } from '../../src/domain/notifications/scope.js';
import { addWebhook } from '../../src/storage/webhooks.js';
import { buildTestApp } from '../helpers/app.js';
import { MINUTE } from '../helpers/clock.js';
import { describeEachDatabase } from '../helpers/database.js';
import { createComponents } from '../helpers/factories.js';
import { startWebhookReceiver } from '../helpers/webhook-receiver.js';
import { testNotifier } from '../helpers/notifier.js';

const CLOUD: NotificationScope = { place: { kind: 'cloud' }, incidents: 1, maintenances: true, notices: true };
const SERVICES = 500;
const CHUNK = 50;
const CHUNK_EVERY_MS = 15_000;

describeEachDatabase('notifications of a whole-cloud outage (issue 18)', () => {
  it('tells each target of the new incident at once, then at most once per window, and of its last state', { timeout: 120_000 }, async (t) => {
    const api = await buildTestApp(t);
    await createComponents(
      api.store,
      Array.from({ length: SERVICES }, (_, index): [string, Record<string, string>] => [`Service ${index}`, { category: 'Compute', region: 'EU-DE', type: `s${index}` }]),
    );
    const receivers = [await startWebhookReceiver(t), await startWebhookReceiver(t)];
    for (const receiver of receivers) await addWebhook(api.store, { url: receiver.url, format: 'json', secret: 'whsec_test', scope: CLOUD }, api.clock.now, 'test');
    const notifier = testNotifier(t, api, { webhookTimeoutMs: 5_000 });

    const startedAt = api.clock.now;
    // What each pass came to, for the message of a failing assertion.
    const passes: string[] = [];
    const pass = async () => passes.push(`${(api.clock.now - startedAt) / 1000} s: ${JSON.stringify(await notifier.runOnce())}`);
    for (let from = 0; from < SERVICES; from += CHUNK) {
      const answers = await Promise.all(
        Array.from({ length: CHUNK }, (_, offset) => api.postStatus({ name: `Service ${from + offset}`, impact: 2, attributes: [{ name: 'region', value: 'EU-DE' }] })),
      );
      assert.ok(answers.every((answer) => answer.statusCode === 201), answers.map((answer) => answer.body).join('\n'));
      await pass();
      api.clock.advance(CHUNK_EVERY_MS);
    }
    // The outage is over; a last window passes and its news goes out.
    api.clock.advance(MINUTE);
    await pass();
    const elapsed = api.clock.now - startedAt;

    for (const receiver of receivers) {
      const sent = receiver.received.map(
        (delivery) => JSON.parse(delivery.body) as { event_id: number; sent_at: string; changes: { kind: string; componentIds?: number[] }[]; event: { components: number[] } },
      );
      assert.equal(new Set(sent.map((body) => body.event_id)).size, 1, 'one incident');
      const times = sent.map((body) => Date.parse(body.sent_at));
      assert.equal(times[0], startedAt, 'the first message goes out with the first pass');
      assert.deepEqual(sent[0]?.changes[0]?.kind, 'opened');
      for (let index = 1; index < times.length; index++) assert.ok((times[index] ?? 0) - (times[index - 1] ?? 0) >= MINUTE, `message ${index} came ${(times[index] ?? 0) - (times[index - 1] ?? 0)} ms after the one before`);
      assert.ok(times.length <= 1 + Math.ceil(elapsed / MINUTE), `${times.length} messages in ${elapsed / 1000} s`);
      // The first message names the services of the moment; every one that joined later is told of.
      const told = new Set([...(sent[0]?.event.components ?? []), ...sent.flatMap((body) => body.changes.flatMap((change) => change.componentIds ?? []))]);
      const incident = (await api.getJson<{ components: number[] }>(`/v2/events/${sent[0]?.event_id}`)).body;
      assert.equal(incident.components.length, SERVICES);
      const history = [`messages at ${times.map((time) => (time - startedAt) / 1000).join(', ')} s`, 'passes:', ...passes, 'logged:', ...notifier.logged].join('\n');
      assert.deepEqual(incident.components.filter((id) => !told.has(id)), [], `no service left untold\n${history}`);
    }
  });
});
