import type { Kysely } from 'kysely';

/**
 * Roles and the maintenance review (issue 17): every event gets a version that each change
 * raises (existing ones start at 1), the person who opened it and, for maintenances, a contact;
 * local operator accounts and operators' sessions get a role (existing ones are operators), and a
 * single sign-on session the role settings its role was decided under.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('event').addColumn('version', 'integer', (col) => col.notNull().defaultTo(1)).execute();
  await db.schema.alterTable('event').addColumn('creator', 'text').execute();
  await db.schema.alterTable('event').addColumn('contact_email', 'text').execute();
  await db.schema.alterTable('operator').addColumn('role', 'text', (col) => col.notNull().defaultTo('operator')).execute();
  await db.schema.alterTable('operator_session').addColumn('role', 'text', (col) => col.notNull().defaultTo('operator')).execute();
  await db.schema.alterTable('operator_session').addColumn('role_basis', 'text').execute();
}
