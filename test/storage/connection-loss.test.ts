// Issue 15, finding 1: a PostgreSQL server that ends connections (idle_session_timeout, 57P05;
// the same path as pg_terminate_backend and a restart, see test/faults) must not end the process.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { openStore } from '../../src/storage/store.js';
import { createTestDatabase, describeEachDatabase } from '../helpers/database.js';
import { databaseOf } from '../../src/storage/database-of.js';

describeEachDatabase('connections the server ends', (database) => ({ skip: database.dialect === 'postgres' ? false : 'PostgreSQL only: SQLite has no connections to lose' }), () => {
  it('survives idle connections ended by idle_session_timeout, and queries again on new ones', async (t) => {
    const { url } = await createTestDatabase(t);
    const withTimeout = new URL(url);
    withTimeout.searchParams.set('options', `${withTimeout.searchParams.get('options') ?? ''} -c idle_session_timeout=200`.trim());
    const store = openStore(withTimeout.toString());
    t.after(() => store.close());
    // One pooled connection and the version check's, both left idle past the server's limit.
    await databaseOf(store).selectFrom('state').select('version').execute();
    await store.committedVersion();
    await sleep(700);
    const { version } = await databaseOf(store).selectFrom('state').select('version').executeTakeFirstOrThrow();
    assert.equal(Number(version), await store.committedVersion());
    assert.equal(store.health.down, false);
  });
});
