import { sql, type Insertable, type Kysely } from 'kysely';
import type { Database, EventComponentTable, EventUpdateTable, NewEventRow } from '../src/storage/schema.js';
import type { Store } from '../src/storage/store.js';
import { withWriteTransaction } from '../src/storage/write-transaction.js';
import { createRandom, pick, randomInt } from './catalog.js';
import { databaseOf } from '../src/storage/database-of.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const YEAR = 365 * DAY;

export interface SeedOptions {
  /** how many past events to add */
  count: number;
  /** ids of the components events may name */
  componentIds: readonly number[];
  /** epoch ms; every seeded event has ended before it */
  now: number;
  /** how far back the history reaches */
  years?: number;
  /** seed of the pseudo-random generator (the same seed gives the same history) */
  seed?: number;
  /**
   * PostgreSQL: refresh the planner statistics afterwards (default true), as autovacuum would
   * within a minute or so of a bulk load. Without them the planner hash-joins every link of the
   * history for each status report (measured: 9 ms instead of 0.04 ms at 50,000 events).
   */
  analyze?: boolean;
}

export interface SeedResult {
  events: number;
  links: number;
  updates: number;
  /** the state version the seeded rows carry */
  revision: number;
  milliseconds: number;
}

// Rows per INSERT: far below SQLite's 32,766 and PostgreSQL's 65,535 bound parameters.
const EVENT_BATCH = 2_000; // 11 columns
const LINK_BATCH = 8_000; // 3 columns
const UPDATE_BATCH = 5_000; // 5 columns

const INCIDENT_TITLES = ['Degraded performance', 'Elevated error rates', 'Partial outage', 'Increased latency', 'API unavailable', 'Provisioning failures', 'Console errors', 'Network instability'];
const MAINTENANCE_TITLES = ['Planned upgrade', 'Scheduled maintenance', 'Hardware replacement', 'Kernel patching', 'Database migration'];
const INCIDENT_STEPS = ['analysing', 'fixing', 'observing', 'resolved'] as const;
const MAINTENANCE_STEPS = ['scheduled', 'in progress', 'modified', 'completed'] as const;
const UPDATE_TEXTS = [
  'We are investigating reports of errors.',
  'The root cause has been identified and a fix is being deployed.',
  'The fix is deployed; we keep monitoring the service.',
  'The issue is resolved. We apologise for the inconvenience.',
  'Work is progressing as planned.',
  'A faulty network device was replaced.',
];

/**
 * Adds `count` closed incidents and maintenances to the history, each with 1–3 components and
 * 1–4 timeline updates, spread over the past years, in large batched inserts inside one write
 * transaction. The transaction bumps the state version once and every seeded row carries it, so
 * a running read model picks the whole history up as one change.
 */
export async function seedHistory(store: Store, options: SeedOptions): Promise<SeedResult> {
  const started = performance.now();
  const random = createRandom(options.seed ?? 1);
  const span = (options.years ?? 3) * YEAR;
  if (options.componentIds.length === 0) throw new Error('seedHistory needs components');

  const result = await withWriteTransaction(store, async (context) => {
    const { tx } = context;
    const revision = await context.revision();
    // Explicit ids, so that links and updates can name their event without a round trip per row.
    const maxRow = await tx.selectFrom('event').select((eb) => eb.fn.max('id').as('max')).executeTakeFirst();
    let nextId = Number(maxRow?.max ?? 0) + 1;

    const events: NewEventRow[] = [];
    const links: Insertable<EventComponentTable>[] = [];
    const updates: Insertable<EventUpdateTable>[] = [];
    const counts = { events: 0, links: 0, updates: 0 };
    const flush = async (all: boolean) => {
      // Events first, all of them before any link or update that may reference them.
      const dependentsDue = all || links.length >= LINK_BATCH || updates.length >= UPDATE_BATCH;
      while (events.length >= EVENT_BATCH || (dependentsDue && events.length > 0)) {
        const rows = events.splice(0, EVENT_BATCH);
        await tx.insertInto('event').values(rows).execute();
        counts.events += rows.length;
      }
      while (links.length >= LINK_BATCH || (all && links.length > 0)) {
        const rows = links.splice(0, LINK_BATCH);
        await tx.insertInto('event_component').values(rows).execute();
        counts.links += rows.length;
      }
      while (updates.length >= UPDATE_BATCH || (all && updates.length > 0)) {
        const rows = updates.splice(0, UPDATE_BATCH);
        await tx.insertInto('event_update').values(rows).execute();
        counts.updates += rows.length;
      }
    };

    for (let i = 0; i < options.count; i++) {
      const id = nextId++;
      const maintenance = random() < 0.2;
      const startAt = options.now - DAY - Math.floor(random() * (span - DAY));
      const duration = maintenance ? randomInt(random, 1, 6) * HOUR : randomInt(random, 10, 12 * 60) * MINUTE;
      const endAt = Math.min(startAt + duration, options.now - MINUTE);
      events.push({
        id,
        type: maintenance ? 'maintenance' : 'incident',
        title: maintenance ? pick(random, MAINTENANCE_TITLES) : pick(random, INCIDENT_TITLES),
        description: maintenance ? 'Planned work; short interruptions are possible.' : null,
        impact: maintenance ? 0 : randomInt(random, 1, 3),
        start_at: startAt,
        end_at: endAt,
        status: maintenance ? 'completed' : 'resolved',
        system: !maintenance && random() < 0.5 ? 1 : 0,
        revision,
        created_at: startAt,
        updated_at: endAt,
      });

      const linked = new Set<number>();
      const wanted = randomInt(random, 1, 3);
      while (linked.size < wanted) linked.add(pick(random, options.componentIds));
      let position = 0;
      for (const componentId of linked) links.push({ event_id: id, component_id: componentId, position: ++position });

      const steps = maintenance ? MAINTENANCE_STEPS : INCIDENT_STEPS;
      const updateCount = randomInt(random, 1, 4);
      for (let u = 0; u < updateCount; u++) {
        // The last update closes the event; earlier ones are spread over its duration.
        const last = u === updateCount - 1;
        const step = last ? steps[steps.length - 1] : steps[Math.min(u, steps.length - 2)];
        updates.push({
          event_id: id,
          status: step ?? 'resolved',
          text: pick(random, UPDATE_TEXTS),
          at: last ? endAt : startAt + Math.floor(((u + 1) / updateCount) * (endAt - startAt)),
          author: random() < 0.7 ? 'operator' : null,
        });
      }
      await flush(false);
    }
    await flush(true);
    if (store.dialect === 'postgres') await syncSequence(tx);
    return { ...counts, revision };
  });
  if (store.dialect === 'postgres' && options.analyze !== false) await sql`analyze`.execute(databaseOf(store));
  return { ...result, milliseconds: performance.now() - started };
}

/** Explicit ids leave PostgreSQL's serial sequence behind; the next incident must not collide. */
async function syncSequence(tx: Kysely<Database>): Promise<void> {
  await sql`select setval(pg_get_serial_sequence('event', 'id'), (select max(id) from event))`.execute(tx);
}
