import type { Kysely } from 'kysely';

/**
 * The time of the latest change, next to its version: a change takes its "now" under the write
 * lock as the later of its own clock and this one, so that the order of commits and the order of
 * their times agree on every instance, whatever the instances' clocks say (spec §8).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('state').addColumn('at', 'bigint', (col) => col.notNull().defaultTo(0)).execute();
}
