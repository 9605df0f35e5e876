import type { Store } from '../src/storage/store.js';
import { withWriteTransaction } from '../src/storage/write-transaction.js';

/** What operators do between bursts of monitoring: resolve every open incident. */
export async function resolveOpenIncidents(store: Store): Promise<{ events: number; links: number }> {
  return withWriteTransaction(store, async (context) => {
    const open = await context.tx.selectFrom('event').select('id').where('end_at', 'is', null).where('type', '=', 'incident').execute();
    if (open.length === 0) return { events: 0, links: 0 };
    const ids = open.map((row) => Number(row.id));
    const links = await context.tx
      .selectFrom('event_component')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('event_id', 'in', ids)
      .executeTakeFirst();
    const revision = await context.revision();
    const now = Date.now();
    await context.tx.updateTable('event').set({ end_at: now, status: 'resolved', revision, updated_at: now }).where('id', 'in', ids).execute();
    return { events: ids.length, links: Number(links?.count ?? 0) };
  });
}

export async function auditCounts(store: Store): Promise<{ opened: number; updated: number }> {
  const rowsByAction = await store.db
    .selectFrom('audit_log')
    .select(['action', (eb) => eb.fn.countAll<number>().as('count')])
    .where('entity', '=', 'event')
    .groupBy('action')
    .execute();
  const count = (action: string) => Number(rowsByAction.find((row) => row.action === action)?.count ?? 0);
  return { opened: count('event.open'), updated: count('event.update') };
}
