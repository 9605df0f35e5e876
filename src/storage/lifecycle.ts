import { REVIEWED } from '../domain/event-status.js';
import { lifecycleChange } from '../domain/rules/lifecycle.js';
import { writeAudit } from './audit.js';
import { loadEventsById } from './events.js';
import type { Store } from './store.js';
import { withWriteTransaction } from './write-transaction.js';

// Windows that ended longer ago than this while no instance ran are left as they are.
const LOOKBACK = 7 * 24 * 60 * 60 * 1000;

/**
 * Plans approved maintenances and writes the timeline entries of maintenances and notices whose
 * windows started or ended. Runs under the write lock, so when several instances run it, each
 * entry is still written once. Returns how many entries it wrote.
 */
export async function advanceLifecycles(store: Store, now: number): Promise<number> {
  return withWriteTransaction(store, async (context) => {
    const candidates = await context.tx
      .selectFrom('event')
      .select('id')
      .where('type', 'in', ['maintenance', 'info'])
      .where((eb) =>
        eb.or([
          eb('status', '=', REVIEWED),
          eb.and([eb('start_at', '<=', now), eb.or([eb('end_at', 'is', null), eb('end_at', '>=', now - LOOKBACK)])]),
        ]),
      )
      .where((eb) => eb.or([eb('status', 'is', null), eb('status', '!=', 'cancelled')]))
      .execute();
    if (candidates.length === 0) return 0;
    const events = await loadEventsById(context.tx, candidates.map((row) => Number(row.id)));
    let written = 0;
    for (const event of events) {
      const change = lifecycleChange(event, now);
      if (!change) continue;
      const revision = await context.revision();
      await context.tx.insertInto('event_update').values(change.entries.map((entry) => ({ event_id: event.id, ...entry, author: null }))).execute();
      await context.tx
        .updateTable('event')
        .set((eb) => ({ revision, updated_at: now, version: eb('version', '+', 1), ...(change.status === undefined ? {} : { status: change.status }) }))
        .where('id', '=', event.id)
        .execute();
      await writeAudit(context.tx, [{ at: now, actor: 'system:lifecycle', action: 'event.lifecycle', entity: 'event', entityId: event.id, before: null, after: change }]);
      written += change.entries.length;
    }
    return written;
  });
}
