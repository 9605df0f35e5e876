import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import { idColumnType, type MigrationDialect } from './types.js';

/**
 * Notifications (issue 18): who hears of what (subscribers by email, webhooks), what each event
 * was last announced as, and the deliveries that carry the news, each tried until it arrives or
 * is given up. The announcement cursor starts at the current state, so an existing history is
 * not announced again.
 */
export async function up(db: Kysely<unknown>, dialect: MigrationDialect): Promise<void> {
  const primary = (col: ColumnDefinitionBuilder) => (dialect === 'sqlite' ? col.primaryKey().autoIncrement() : col.primaryKey());
  await db.schema
    .createTable('subscriber')
    .addColumn('id', idColumnType(dialect), primary)
    .addColumn('email', 'text', (col) => col.notNull().unique())
    .addColumn('scope', 'text', (col) => col.notNull())
    .addColumn('confirmed_at', 'bigint')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema
    .createTable('webhook')
    .addColumn('id', idColumnType(dialect), primary)
    .addColumn('url', 'text', (col) => col.notNull())
    .addColumn('format', 'text', (col) => col.notNull())
    .addColumn('secret', 'text', (col) => col.notNull())
    .addColumn('scope', 'text', (col) => col.notNull())
    .addColumn('enabled', 'integer', (col) => col.notNull().defaultTo(1).check(sql`enabled in (0, 1)`))
    .addColumn('disabled_reason', 'text')
    .addColumn('failing_since', 'bigint')
    .addColumn('created_by', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema
    .createTable('announcement')
    .addColumn('event_id', 'integer', (col) => col.primaryKey())
    .addColumn('announced', 'text', (col) => col.notNull())
    .addColumn('next_reminder_at', 'bigint')
    .execute();
  await db.schema.createIndex('announcement_next_reminder_idx').on('announcement').column('next_reminder_at').execute();
  await db.schema
    .createTable('notification_cursor')
    .addColumn('id', 'integer', (col) => col.primaryKey())
    .addColumn('version', 'bigint', (col) => col.notNull())
    .execute();
  await sql`insert into notification_cursor (id, version) select 1, version from state where id = 1`.execute(db);
  await db.schema
    .createTable('delivery')
    .addColumn('id', idColumnType(dialect), primary)
    .addColumn('channel', 'text', (col) => col.notNull())
    .addColumn('target_id', 'integer', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('event_id', 'integer')
    .addColumn('changes', 'text', (col) => col.notNull())
    .addColumn('state', 'text', (col) => col.notNull())
    .addColumn('due_at', 'bigint', (col) => col.notNull())
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('first_attempt_at', 'bigint')
    .addColumn('claimed_until', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('sent_at', 'bigint')
    .execute();
  await db.schema.createIndex('delivery_due_idx').on('delivery').columns(['state', 'due_at']).execute();
  await db.schema.createIndex('delivery_target_idx').on('delivery').columns(['channel', 'target_id', 'event_id']).execute();
  await db.schema
    .createTable('notification_throttle')
    .addColumn('key', 'text', (col) => col.notNull())
    .addColumn('at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('notification_throttle_key_idx').on('notification_throttle').columns(['key', 'at']).execute();
}
