import type { TestContext } from 'node:test';
import { subscriptionLinkKey } from '../../src/auth/subscription-links.js';
import { startNotifier, type Notifier, type NotifierSettings } from '../../src/notify/notifier.js';
import { ReadModel } from '../../src/read-model/read-model.js';
import type { Store } from '../../src/storage/store.js';
import type { TestApp } from './app.js';
import { MINUTE } from './clock.js';

export const TEST_PUBLIC_URL = 'https://status.example.org';

/**
 * The notifier as src/runtime/server.ts starts it, on the test's clock and database, driven by
 * hand (`runOnce`), stopped when the test ends: webhooks may reach loopback (the receivers), no
 * jitter, no reminders unless a test asks. `store` is another instance's connection to the same
 * database, when a test wants two. Its warnings and errors are kept in `logged`, for a failing
 * test's message.
 */
export function testNotifier(t: TestContext, api: TestApp, settings: Partial<NotifierSettings> = {}, store: Store = api.store): Notifier & { logged: string[] } {
  const logged: string[] = [];
  const keep = (level: string) => (details: object, message: string) => void logged.push(`${level}: ${message} ${JSON.stringify(details, (_key, value: unknown) => (value instanceof Error ? value.message : value))}`);
  const log = { warn: keep('warn'), error: keep('error'), info: () => undefined };
  const notifier = startNotifier(
    { store, readModel: new ReadModel(store, { clock: api.clock.read }), clock: api.clock.read, log, random: () => 0, observer: api.metrics?.notifications },
    {
      publicUrl: TEST_PUBLIC_URL,
      site: 'Test Status',
      linkKey: subscriptionLinkKey('test'),
      mailer: undefined,
      webhookTimeoutMs: 2_000,
      allowPrivateWebhooks: true,
      intervalMs: 1_000,
      concurrency: 8,
      claimSize: 64,
      claimMs: MINUTE,
      coalesceMs: MINUTE,
      reminderLeads: [],
      ...settings,
    },
    { autoStart: false },
  );
  t.after(() => notifier.stop());
  return Object.assign(notifier, { logged });
}
