import type { Kysely } from 'kysely';

/**
 * Failed operator logins, one row per key (a username or a client address) and attempt: every
 * instance on the database counts the same attempts, so N instances do not give N budgets.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('login_failure')
    .addColumn('key', 'text', (col) => col.notNull())
    .addColumn('failed_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('login_failure_key_idx').on('login_failure').columns(['key', 'failed_at']).execute();
  await db.schema.createIndex('login_failure_failed_at_idx').on('login_failure').column('failed_at').execute();
}
