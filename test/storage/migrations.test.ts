import assert from 'node:assert/strict';
import { it } from 'node:test';
import { migrateToLatest } from '../../src/storage/store.js';
import { createTestDatabase, describeEachDatabase } from '../helpers/database.js';
import { databaseOf } from '../../src/storage/database-of.js';

describeEachDatabase('migrations', () => {
  it('are a no-op when the schema is current', async (t) => {
    const { store } = await createTestDatabase(t);
    const again = await migrateToLatest(store);
    assert.deepEqual(again.results, []);
  });

  it('refuse states the model forbids: unknown event types and impacts out of range', async (t) => {
    const { store } = await createTestDatabase(t);
    const row = { title: 't', start_at: 0, revision: 1, created_at: 0, updated_at: 0, system: 0 };
    await assert.rejects(databaseOf(store).insertInto('event').values({ ...row, type: 'outage', impact: 1 }).execute());
    await assert.rejects(databaseOf(store).insertInto('event').values({ ...row, type: 'incident', impact: 4 }).execute());
  });

  it('migrate a second database beside a first one (on PostgreSQL, another schema of the same database)', async (t) => {
    await createTestDatabase(t);
    const { store } = await createTestDatabase(t);
    const tables = await databaseOf(store).selectFrom('state').select('version').execute();
    assert.equal(tables.length, 1);
  });

  it('create the operator table: unique usernames, a 0/1 disabled flag, epoch-ms timestamps', async (t) => {
    const { store } = await createTestDatabase(t);
    const row = { username: 'alice', password_hash: 'scrypt$x', created_at: 1_767_225_600_000, updated_at: 1_767_225_600_000 };
    const inserted = await databaseOf(store).insertInto('operator').values(row).returningAll().executeTakeFirstOrThrow();
    assert.equal(inserted.disabled, 0);
    assert.equal(Number(inserted.created_at), row.created_at);
    assert.equal(typeof inserted.id, 'number');
    await assert.rejects(databaseOf(store).insertInto('operator').values(row).execute());
    await assert.rejects(databaseOf(store).insertInto('operator').values({ ...row, username: 'bob', disabled: 2 }).execute());
    const names = await databaseOf(store).selectFrom('operator').select('username').execute();
    assert.deepEqual(names, [{ username: 'alice' }]);
  });
});
