import type { Kysely } from 'kysely';

/**
 * Operators' sessions, one row each: the cookie names its row, every request checks that it is
 * still there, so a logout or a revocation ends the session on every instance at once.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('operator_session')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('subject', 'text', (col) => col.notNull())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('expires_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('operator_session_subject_idx').on('operator_session').column('subject').execute();
  await db.schema.createIndex('operator_session_expires_at_idx').on('operator_session').column('expires_at').execute();
}
