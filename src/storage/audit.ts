import type { AuditEntry } from '../domain/audit.js';
import type { WriteTx } from './write-transaction.js';

/** Audit rows are written in the transaction of the change they describe: no change goes unrecorded. */
export async function writeAudit(tx: WriteTx, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx
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
