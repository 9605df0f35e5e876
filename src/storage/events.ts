import type { Kysely, SelectQueryBuilder } from 'kysely';
import { compareUpdatesNewestFirst, type EventType, type StatusEvent } from '../domain/event.js';
import type { ImpactLevel } from '../domain/impact.js';
import type { EventView } from '../domain/rules/status-report.js';
import type { Database, EventRow, EventUpdateRow } from './schema.js';

interface LinkRow {
  event_id: number;
  component_id: number;
}

function rowToEvent(row: EventRow): StatusEvent {
  return {
    id: Number(row.id),
    type: row.type as EventType,
    title: row.title,
    description: row.description,
    impact: Number(row.impact) as ImpactLevel,
    startAt: Number(row.start_at),
    endAt: row.end_at === null ? null : Number(row.end_at),
    status: row.status,
    system: Boolean(row.system),
    componentIds: [],
    updates: [],
    version: Number(row.version),
    creator: row.creator,
    contactEmail: row.contact_email,
  };
}

function assembleEvents(rows: EventRow[], links: LinkRow[], updates: EventUpdateRow[]): StatusEvent[] {
  const events = new Map(rows.map((row) => [Number(row.id), rowToEvent(row)]));
  for (const link of links) events.get(Number(link.event_id))?.componentIds.push(Number(link.component_id));
  for (const update of updates) {
    events.get(Number(update.event_id))?.updates.push({
      id: Number(update.id),
      status: update.status,
      text: update.text,
      at: Number(update.at),
      author: update.author,
    });
  }
  for (const event of events.values()) event.updates.sort(compareUpdatesNewestFirst);
  return [...events.values()];
}

type EventIds = readonly number[] | SelectQueryBuilder<Database, 'event', { id: number }>;

/** Events changed after `version` (all of them when it is -1), whole: components and timeline. */
export function loadEventsChangedSince(db: Kysely<Database>, version: number): Promise<StatusEvent[]> {
  return loadEvents(db, db.selectFrom('event').select('id').where('revision', '>', version));
}

/** These events, whole; unknown ids are left out. */
export async function loadEventsById(db: Kysely<Database>, ids: readonly number[]): Promise<StatusEvent[]> {
  return ids.length === 0 ? [] : loadEvents(db, ids);
}

/** One event, whole, or undefined. */
export async function findEvent(db: Kysely<Database>, id: number): Promise<StatusEvent | undefined> {
  return (await loadEventsById(db, [id]))[0];
}

// By id list or subquery, never by a join: a join lets SQLite walk every link of the history in
// key order (measured: 30 ms instead of 1 ms at 50,000 events).
async function loadEvents(db: Kysely<Database>, ids: EventIds): Promise<StatusEvent[]> {
  const [rows, links, updates] = await Promise.all([
    db.selectFrom('event').selectAll().where('id', 'in', ids).execute(),
    db.selectFrom('event_component').select(['event_id', 'component_id']).where('event_id', 'in', ids).orderBy('event_id').orderBy('position').execute(),
    db.selectFrom('event_update').selectAll().where('event_id', 'in', ids).execute(),
  ]);
  return assembleEvents(rows, links, updates);
}

/**
 * What the rules look at: every event that has started and not ended by `now`, with its
 * components. Read under the write lock, so it cannot change before the decision is applied.
 */
export async function loadEventViewsActiveAt(db: Kysely<Database>, now: number): Promise<EventView[]> {
  // Two index range scans instead of `end_at is null or end_at > now`, which both databases may
  // answer by reading the whole history.
  return loadEventViews(db, (query) =>
    query.where((eb) =>
      eb(
        'e.id',
        'in',
        eb
          .selectFrom('event')
          .select('id')
          .where('end_at', 'is', null)
          .where('start_at', '<=', now)
          .unionAll(eb.selectFrom('event').select('id').where('end_at', '>', now).where('start_at', '<=', now)),
      ),
    ),
  );
}

/** The same view of chosen events, e.g. to audit what a change made of them. */
export async function loadEventViewsById(db: Kysely<Database>, ids: readonly number[]): Promise<EventView[]> {
  if (ids.length === 0) return [];
  return loadEventViews(db, (query) => query.where('e.id', 'in', ids));
}

function selectEventViews(db: Kysely<Database>) {
  return db
    .selectFrom('event as e')
    .leftJoin('event_component as l', 'l.event_id', 'e.id')
    .select(['e.id', 'e.type', 'e.title', 'e.impact', 'e.system', 'e.start_at', 'e.end_at', 'e.status', 'l.component_id'])
    .orderBy('e.id')
    .orderBy('l.position');
}

type EventViewQuery = ReturnType<typeof selectEventViews>;

async function loadEventViews(db: Kysely<Database>, filter: (query: EventViewQuery) => EventViewQuery): Promise<EventView[]> {
  const rows = await filter(selectEventViews(db)).execute();
  const views = new Map<number, EventView & { componentIds: number[] }>();
  for (const row of rows) {
    const id = Number(row.id);
    let view = views.get(id);
    if (!view) {
      view = {
        id,
        type: row.type as EventType,
        title: row.title,
        impact: Number(row.impact) as ImpactLevel,
        system: Boolean(row.system),
        startAt: Number(row.start_at),
        endAt: row.end_at === null ? null : Number(row.end_at),
        status: row.status,
        componentIds: [],
      };
      views.set(id, view);
    }
    if (row.component_id !== null) view.componentIds.push(Number(row.component_id));
  }
  return [...views.values()];
}
