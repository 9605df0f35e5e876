import type { Kysely } from 'kysely';

/**
 * A login try is counted before its password is checked, under the write lock, so concurrent
 * tries cannot all pass one count; `attempt` names the try's rows, which go again if it succeeds.
 * Rows from before this migration have none: they are failures for good.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('login_failure').addColumn('attempt', 'text').execute();
  await db.schema.createIndex('login_failure_attempt_idx').on('login_failure').column('attempt').execute();
}
