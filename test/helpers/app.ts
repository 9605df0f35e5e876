import type { TestContext } from 'node:test';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { signApiToken } from '../../src/auth/api-tokens.js';
import { buildApp, type AppOptions } from '../../src/http/app.js';
import { Metrics } from '../../src/metrics/metrics.js';
import { ReadModel } from '../../src/read-model/read-model.js';
import type { Store } from '../../src/storage/store.js';
import { TestClock } from './clock.js';
import { createTestDatabase } from './database.js';

export const TEST_SECRET = 'test-secret-key-for-the-suite-only';
export const TEST_PAYLOAD_KEY = 'stackmon';

export interface TestApp {
  app: FastifyInstance;
  store: Store;
  clock: TestClock;
  /** `Authorization` value for API calls: lowercase "bearer", as the reference's own tests send */
  auth: string;
  /** the app's metrics, when the test asked for them (testNotifier reports to them) */
  metrics: Metrics | undefined;
  postStatus(body: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  getJson<T = unknown>(url: string): Promise<{ status: number; body: T }>;
}

/** The whole HTTP application on a database of the test's own, closed when the test ends. */
export async function buildTestApp(
  t: TestContext,
  options: {
    clock?: TestClock;
    publicUrl?: string;
    onRoute?: AppOptions['onRoute'];
    oidc?: AppOptions['apiTokens']['oidc'];
    login?: AppOptions['login'];
    roleGroups?: AppOptions['roleGroups'];
    authCallbackUrls?: AppOptions['authCallbackUrls'];
    trustProxy?: AppOptions['trustProxy'];
    /** the login slowdown's wait: by default none, so no test waits for it */
    sleep?: AppOptions['sleep'];
    /** the log lines, for tests that check what reaches the log (level info then) */
    logStream?: AppOptions['logStream'];
    /** a second instance: the database of another test app, instead of one of its own */
    store?: Store;
    /** how long reads wait for the database before they answer from memory */
    readWaitMs?: number;
    limits?: AppOptions['limits'];
    /** email subscriptions on, as with SD_SMTP_URL set (see test/helpers/subscriptions.ts for the key) */
    subscriptions?: AppOptions['subscriptions'];
    /** SD_WEBHOOK_ALLOW_PRIVATE: on by default, as the tests' webhook receivers listen on loopback */
    allowPrivateWebhooks?: boolean;
    /**
     * `/metrics` and the measurements behind it, as the server keeps them; `token`: SD_METRICS_TOKEN.
     * prom-client's process metrics only when asked: its event-loop mean is NaN until the loop was
     * sampled (every 10 ms), which a test that scrapes at once would see.
     */
    metrics?: { token?: string; processMetrics?: boolean };
  } = {},
): Promise<TestApp> {
  const store = options.store ?? (await createTestDatabase(t)).store;
  const clock = options.clock ?? new TestClock();
  // A loaded test machine may take a while to answer; reads fall back to memory only in the tests that stop the database.
  const readModel = new ReadModel(store, { clock: clock.read, readWaitMs: options.readWaitMs ?? 5_000 });
  const metrics = options.metrics && new Metrics({ store, readModel, clock: clock.read }, { processMetrics: options.metrics.processMetrics ?? false });
  const app = await buildApp({
    store,
    readModel,
    clock: clock.read,
    publicUrl: options.publicUrl,
    onRoute: options.onRoute,
    login: options.login,
    roleGroups: options.roleGroups,
    authCallbackUrls: options.authCallbackUrls,
    trustProxy: options.trustProxy,
    sleep: options.sleep ?? (async () => undefined),
    apiTokens: { secretKey: TEST_SECRET, payloadKey: TEST_PAYLOAD_KEY, oidc: options.oidc },
    logLevel: options.logStream ? 'info' : 'silent',
    logStream: options.logStream,
    limits: options.limits,
    subscriptions: options.subscriptions,
    allowPrivateWebhooks: options.allowPrivateWebhooks ?? true,
    metrics,
    metricsToken: options.metrics?.token,
  });
  t.after(() => app.close());
  const token = await signApiToken({ secretKey: TEST_SECRET, payloadKey: TEST_PAYLOAD_KEY }, { subject: 'dummy' });
  const auth = `bearer ${token}`;
  return {
    app,
    store,
    clock,
    auth,
    metrics,
    postStatus: (body, headers = {}) =>
      app.inject({ method: 'POST', url: '/api/v1/component_status', headers: { authorization: auth, ...headers }, payload: body as object }),
    async getJson(url) {
      const response = await app.inject({ method: 'GET', url });
      return { status: response.statusCode, body: response.json() };
    },
  };
}
