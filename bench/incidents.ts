import type { Actor } from '../src/domain/roles.js';
import { decideEventPatch } from '../src/domain/rules/event-transitions.js';
import { patchEvent } from '../src/storage/event-edits.js';
import { loadEventViewsActiveAt } from '../src/storage/events.js';
import type { Store } from '../src/storage/store.js';
import { withWriteTransaction } from '../src/storage/write-transaction.js';
import { databaseOf } from '../src/storage/database-of.js';

/** Who the audit log names for the bench's resolutions; auditCounts leaves them out. */
export const BENCH_ACTOR = 'bench:operator';
/** The bench resolves as operators would, with their role. */
const BENCH_PERSON: Actor = { id: BENCH_ACTOR, role: 'operator' };

/**
 * What operators do between bursts of monitoring: resolve every open incident, through the same
 * rules and storage function as PATCH /v2/events/:id with status `resolved` (a timeline entry,
 * an audit entry, the event handed over from automation), all in one write transaction.
 * Returns how many were resolved and how many component links they held.
 */
export async function resolveOpenIncidents(store: Store, clock: () => number = Date.now): Promise<{ events: number; links: number }> {
  return withWriteTransaction(store, async (context) => {
    const now = await context.now(clock);
    const open = (await loadEventViewsActiveAt(context.tx, now)).filter((event) => event.type === 'incident' && event.endAt === null);
    let links = 0;
    for (const { id } of open) {
      // patchEvent joins this transaction: one change, one revision, as before.
      const result = await patchEvent(
        store,
        id,
        (event) => {
          links += event.componentIds.length;
          return decideEventPatch(event, { status: 'resolved', message: 'Resolved by the bench.', at: now }, now, BENCH_PERSON);
        },
        now,
        BENCH_ACTOR,
      );
      if (result.outcome !== 'changed') throw new Error(`the bench could not resolve incident ${id}: ${result.outcome === 'not-found' ? result.outcome : result.reason}`);
    }
    return { events: open.length, links };
  });
}

/**
 * Runs `work` while every open incident is resolved each `every` ms (0: never), as operators
 * would between bursts of monitoring, so the rules keep opening new ones; waits for the last
 * resolution. Returns what `work` came to, how many were resolved and the most components they held.
 */
export async function whileResolving<T>(store: Store, every: number, work: () => Promise<T>): Promise<{ result: T; resolved: { events: number; maxLinks: number } }> {
  const resolved = { events: 0, maxLinks: 0 };
  let resolving = Promise.resolve();
  const timer =
    every > 0
      ? setInterval(() => {
          resolving = resolving.then(async () => {
            const { events, links } = await resolveOpenIncidents(store);
            resolved.events += events;
            resolved.maxLinks = Math.max(resolved.maxLinks, links);
          });
        }, every)
      : undefined;
  try {
    return { result: await work(), resolved };
  } finally {
    if (timer) clearInterval(timer);
    await resolving;
  }
}

/** Incidents the rules opened and changed so far, by the audit log (the bench's own resolutions left out). */
export async function auditCounts(store: Store): Promise<{ opened: number; updated: number }> {
  const rowsByAction = await databaseOf(store)
    .selectFrom('audit_log')
    .select(['action', (eb) => eb.fn.countAll<number>().as('count')])
    .where('entity', '=', 'event')
    .where('actor', '!=', BENCH_ACTOR)
    .groupBy('action')
    .execute();
  const count = (action: string) => Number(rowsByAction.find((row) => row.action === action)?.count ?? 0);
  return { opened: count('event.open'), updated: count('event.update') };
}
