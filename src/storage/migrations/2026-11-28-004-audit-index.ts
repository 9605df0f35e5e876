import type { Kysely } from 'kysely';

/**
 * The audit page filters by who and by what, newest first: without these, a rare actor or action
 * would walk the whole `at` index to fill one page.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('audit_log_actor_at_idx').on('audit_log').columns(['actor', 'at']).execute();
  await db.schema.createIndex('audit_log_action_at_idx').on('audit_log').columns(['action', 'at']).execute();
}
