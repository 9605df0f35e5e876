import type { Metrics } from '../metrics/metrics.js';
import type { ReadModel } from '../read-model/read-model.js';
import type { PageContext } from '../web/layout.js';
import type { Store } from '../storage/store.js';

/** What route plugins are given: nothing reaches them through globals. */
export interface HttpDeps {
  store: Store;
  readModel: ReadModel;
  /** epoch milliseconds; tests pass their own clock */
  clock: () => number;
  /** SD_PUBLIC_URL: the dashboard's address in links; unset, each request's own host is used */
  publicUrl?: string | undefined;
  /** SD_WEBHOOK_ALLOW_PRIVATE: new webhooks may point at loopback and private addresses (tests, a closed network) */
  allowPrivateWebhooks?: boolean | undefined;
  /** this instance's metrics, served on `/metrics`; undefined: none are kept (most tests) */
  metrics?: Metrics | undefined;
}

/** Options of a route plugin: the dependencies travel under one key, apart from Fastify's own (prefix …). */
export interface RouteOptions {
  deps: HttpDeps;
}

/** Options of a plugin that renders pages: the site's name, logo and assets too. */
export interface PageOptions extends RouteOptions {
  context: PageContext;
}
