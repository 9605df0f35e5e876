import type { Selectable } from 'kysely';
import { AUDIT_PAGE_SIZE, type AuditCursor, type AuditEntry, type AuditFilter, type AuditLogEntry, type AuditPage, type AuditPosition } from '../domain/audit.js';
import type { AuditLogTable } from './schema.js';
import type { Store } from './store.js';
import { databaseOf } from './database-of.js';

/**
 * One page of the audit log, newest first, in a single query: keyset pagination stays put while
 * new entries arrive, and costs the same on page 1000 as on page 1. Only portable SQL (no LIKE,
 * whose case rules differ), so SQLite and PostgreSQL answer alike.
 */
export async function listAuditLog(store: Store, filter: AuditFilter, position: AuditPosition = 'newest'): Promise<AuditPage> {
  let query = databaseOf(store).selectFrom('audit_log').selectAll();
  const { actor } = filter;
  if (actor && 'exact' in actor) query = query.where('actor', '=', actor.exact);
  if (actor && 'prefix' in actor) {
    // Both count characters (code points), not UTF-16 units.
    query = query.where((eb) => eb(eb.fn<string>('substr', ['actor', eb.lit(1), eb.lit([...actor.prefix].length)]), '=', actor.prefix));
  }
  if (filter.action !== undefined) query = query.where('action', '=', filter.action);
  if (filter.entity !== undefined) query = query.where('entity', '=', filter.entity);
  if (filter.entityId !== undefined) query = query.where('entity_id', '=', filter.entityId);
  if (filter.from !== undefined) query = query.where('at', '>=', filter.from);
  if (filter.until !== undefined) query = query.where('at', '<', filter.until);

  const towardNewer = typeof position === 'object' && 'after' in position;
  if (typeof position === 'object') {
    const { at, id } = 'before' in position ? position.before : position.after;
    const beyond = 'before' in position ? '<' : '>';
    query = query.where((eb) => eb.or([eb('at', beyond, at), eb.and([eb('at', '=', at), eb('id', beyond, id)])]));
  }
  const direction = towardNewer ? 'asc' : 'desc';
  // One more than a page tells whether another page follows, without counting.
  const rows = await query.orderBy('at', direction).orderBy('id', direction).limit(AUDIT_PAGE_SIZE + 1).execute();
  const more = rows.length > AUDIT_PAGE_SIZE;
  const page = rows.slice(0, AUDIT_PAGE_SIZE).map(toEntry);
  if (towardNewer) page.reverse();

  // A cursor is an entry that exists: the side it came from has at least that one.
  const hasNewer = towardNewer ? more : position !== 'newest';
  const hasOlder = towardNewer || more;
  const first = page[0];
  const last = page.at(-1);
  return {
    entries: page,
    ...(hasNewer && first ? { newer: cursorOf(first) } : {}),
    ...(hasOlder && last ? { older: cursorOf(last) } : {}),
  };
}

function cursorOf(entry: AuditLogEntry): AuditCursor {
  return { at: entry.at, id: entry.id };
}

type AuditRow = Selectable<AuditLogTable>;

function toEntry(row: AuditRow): AuditLogEntry {
  return {
    id: Number(row.id),
    at: Number(row.at),
    actor: row.actor,
    action: row.action,
    entity: row.entity as AuditEntry['entity'],
    entityId: Number(row.entity_id),
    before: parseJson(row.before),
    after: parseJson(row.after),
  };
}

/** Rows are written as JSON by audit.ts; a row that is not (edited by hand) is shown as its text. */
function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
