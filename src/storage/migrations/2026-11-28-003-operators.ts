import { sql, type Kysely } from 'kysely';
import { idColumnType, type MigrationDialect } from './types.js';

/** Local operator accounts (created from the CLI): a username and an scrypt hash with its salt and cost. */
export async function up(db: Kysely<unknown>, dialect: MigrationDialect): Promise<void> {
  await db.schema
    .createTable('operator')
    .addColumn('id', idColumnType(dialect), (col) => (dialect === 'sqlite' ? col.primaryKey().autoIncrement() : col.primaryKey()))
    .addColumn('username', 'text', (col) => col.notNull().unique())
    .addColumn('password_hash', 'text', (col) => col.notNull())
    .addColumn('disabled', 'integer', (col) => col.notNull().defaultTo(0).check(sql`disabled in (0, 1)`))
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();
}

