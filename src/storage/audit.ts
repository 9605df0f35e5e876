import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface AuditEntry {
  at: number;
  /** who: `api:<token subject>`, `cli:<user>`, an operator's login, or `system` */
  actor: string;
  /** what, as `<entity>.<verb>`: component.create, event.open, event.update … */
  action: string;
  entity: 'component' | 'event' | 'operator';
  entityId: number;
  before: unknown;
  after: unknown;
}

/** Audit rows are written in the transaction of the change they describe: no change goes unrecorded. */
export async function writeAudit(db: Kysely<Database>, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insertInto('audit_log')
    .values(
      entries.map((entry) => ({
        at: entry.at,
        actor: entry.actor,
        action: entry.action,
        entity: entry.entity,
        entity_id: entry.entityId,
        before: entry.before === null ? null : JSON.stringify(entry.before),
        after: entry.after === null ? null : JSON.stringify(entry.after),
      })),
    )
    .execute();
}
