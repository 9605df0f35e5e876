import type { ReadModel } from '../read-model/read-model.js';
import type { Store } from '../storage/store.js';

/** What route plugins are given: nothing reaches them through globals. */
export interface HttpDeps {
  store: Store;
  readModel: ReadModel;
  /** epoch milliseconds; tests pass their own clock */
  clock: () => number;
}

/** Options of a route plugin: the dependencies travel under one key, apart from Fastify's own (prefix …). */
export interface RouteOptions {
  deps: HttpDeps;
}
