import type { Component } from '../domain/component.js';
import type { StatusEvent } from '../domain/event.js';
import { loadComponentsChangedSince } from './components.js';
import { loadEventsChangedSince } from './events.js';
import type { Store } from './store.js';
import { withReadSnapshot } from './write-transaction.js';

export interface ChangeSet {
  version: number;
  components: Component[];
  /** when each of `components` was created (epoch ms): the uptime bars show no data before */
  componentCreatedAt: Map<number, number>;
  events: StatusEvent[];
}

/**
 * Everything written after `version` (everything when it is -1), read from one snapshot, so the
 * cost depends on how much changed, never on how long the history is.
 */
export async function loadChangesSince(store: Store, version: number): Promise<ChangeSet> {
  return withReadSnapshot(store, async (tx) => {
    const row = await tx.selectFrom('state').select('version').where('id', '=', 1).executeTakeFirstOrThrow();
    const [{ components, createdAt }, events] = await Promise.all([
      loadComponentsChangedSince(tx, version),
      loadEventsChangedSince(tx, version),
    ]);
    return { version: Number(row.version), components, componentCreatedAt: createdAt, events };
  });
}
