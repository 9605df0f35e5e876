import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import { idColumnType, type MigrationDialect } from './types.js';

export async function up(db: Kysely<unknown>, dialect: MigrationDialect): Promise<void> {
  const id = idColumnType(dialect);
  const primaryKey = (col: ColumnDefinitionBuilder) => (dialect === 'sqlite' ? col.primaryKey().autoIncrement() : col.primaryKey());
  await db.schema
    .createTable('component')
    .addColumn('id', id, primaryKey)
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('revision', 'bigint', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('component_name_idx').on('component').column('name').execute();
  await db.schema.createIndex('component_revision_idx').on('component').column('revision').execute();

  await db.schema
    .createTable('component_attribute')
    .addColumn('component_id', 'integer', (col) => col.notNull().references('component.id').onDelete('cascade'))
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('value', 'text', (col) => col.notNull())
    .addColumn('position', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('component_attribute_pk', ['component_id', 'name'])
    .execute();

  await db.schema
    .createTable('event')
    .addColumn('id', id, primaryKey)
    .addColumn('type', 'text', (col) => col.notNull().check(sql`type in ('incident', 'maintenance', 'info')`))
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('description', 'text')
    .addColumn('impact', 'smallint', (col) => col.notNull().check(sql`impact between 0 and 3`))
    .addColumn('start_at', 'bigint', (col) => col.notNull())
    .addColumn('end_at', 'bigint')
    .addColumn('status', 'text')
    .addColumn('system', 'smallint', (col) => col.notNull().defaultTo(0))
    .addColumn('revision', 'bigint', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('event_end_at_idx').on('event').column('end_at').execute();
  await db.schema.createIndex('event_revision_idx').on('event').column('revision').execute();

  await db.schema
    .createTable('event_component')
    .addColumn('event_id', 'integer', (col) => col.notNull().references('event.id').onDelete('cascade'))
    .addColumn('component_id', 'integer', (col) => col.notNull().references('component.id').onDelete('cascade'))
    .addColumn('position', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('event_component_pk', ['event_id', 'component_id'])
    .execute();
  await db.schema.createIndex('event_component_component_idx').on('event_component').columns(['component_id', 'event_id']).execute();

  await db.schema
    .createTable('event_update')
    .addColumn('id', id, primaryKey)
    .addColumn('event_id', 'integer', (col) => col.notNull().references('event.id').onDelete('cascade'))
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('text', 'text', (col) => col.notNull())
    .addColumn('at', 'bigint', (col) => col.notNull())
    .addColumn('author', 'text')
    .execute();
  await db.schema.createIndex('event_update_event_idx').on('event_update').column('event_id').execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', id, primaryKey)
    .addColumn('at', 'bigint', (col) => col.notNull())
    .addColumn('actor', 'text', (col) => col.notNull())
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('entity', 'text', (col) => col.notNull())
    .addColumn('entity_id', 'integer', (col) => col.notNull())
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .execute();
  await db.schema.createIndex('audit_log_entity_idx').on('audit_log').columns(['entity', 'entity_id']).execute();
  await db.schema.createIndex('audit_log_at_idx').on('audit_log').column('at').execute();

  await db.schema
    .createTable('state')
    .addColumn('id', 'integer', (col) => col.primaryKey())
    .addColumn('version', 'bigint', (col) => col.notNull())
    .execute();
  await sql`insert into state (id, version) values (1, 0)`.execute(db);
}
