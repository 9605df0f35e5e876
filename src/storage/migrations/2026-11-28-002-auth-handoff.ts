import type { Kysely } from 'kysely';

/** Tokens waiting for the browser that started a login (API v2 `/auth/*`), on any instance. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('auth_handoff')
    .addColumn('challenge', 'text', (col) => col.primaryKey())
    .addColumn('tokens', 'text', (col) => col.notNull())
    .addColumn('expires_at', 'bigint', (col) => col.notNull())
    .execute();
}
