import type { Kysely } from 'kysely';

/**
 * The front end's `/auth` login kept on the server while the browser is at the provider, and
 * hand-offs bound to the client that came back. Hand-offs of before (at most 5 minutes old,
 * bound to no one) are dropped with their table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('auth_login')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('state', 'text', (col) => col.notNull().unique())
    .addColumn('nonce', 'text', (col) => col.notNull())
    .addColumn('code_verifier', 'text', (col) => col.notNull())
    .addColumn('callback_url', 'text', (col) => col.notNull())
    .addColumn('code_challenge', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('expires_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('auth_login_expires_at_idx').on('auth_login').column('expires_at').execute();
  await db.schema.dropTable('auth_handoff').execute();
  await db.schema
    .createTable('auth_handoff')
    .addColumn('challenge', 'text', (col) => col.primaryKey())
    .addColumn('tokens', 'text', (col) => col.notNull())
    .addColumn('client_address', 'text', (col) => col.notNull())
    .addColumn('origin', 'text', (col) => col.notNull())
    .addColumn('expires_at', 'bigint', (col) => col.notNull())
    .execute();
}
