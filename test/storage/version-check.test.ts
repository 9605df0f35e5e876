import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { openStore, sharedPerTurn, VERSION_CHECK_APPLICATION } from '../../src/storage/store.js';
import { withWriteTransaction } from '../../src/storage/write-transaction.js';
import { createTestDatabase, describeEachDatabase } from '../helpers/database.js';
import { tempFolder } from '../helpers/temp-folder.js';
import { databaseOf } from '../../src/storage/database-of.js';

/** A version source whose queries the test answers by hand. */
function manualSource() {
  const pending: { started: number; resolve: (value: number) => void }[] = [];
  let version = 0;
  return {
    read: () =>
      new Promise<number>((resolve) => {
        // A query sees the state as of when it began.
        const started = version;
        pending.push({ started, resolve: () => resolve(started) });
      }),
    commit: () => ++version,
    answer: (index: number) => pending[index]?.resolve(0),
    get queries() {
      return pending.length;
    },
  };
}

/** Lets pending checks start: they wait for the turn's check phase, after any query in flight. */
async function nextTurns() {
  for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
}

describe('version checks shared per turn of the event loop', () => {
  it('runs one check for the callers of one turn, after the last of them asked', async () => {
    let version = 0;
    let probes = 0;
    const check = sharedPerTurn(() => (probes++, version));
    const first = check();
    version = 1; // a write returns after the first caller asked, before the second
    const second = check();
    assert.equal(probes, 0, 'nothing runs while the turn is still taking requests');
    assert.deepEqual(await Promise.all([first, second]), [1, 1]);
    assert.equal(probes, 1);
  });

  it('gives a caller that comes after a check ran a check of its own', async () => {
    let version = 0;
    let probes = 0;
    const check = sharedPerTurn(() => (probes++, version));
    assert.equal(await check(), 0);
    version = 2;
    assert.equal(await check(), 2);
    assert.equal(probes, 2);
  });

  it('keeps one query in flight: callers that come meanwhile share the next, sent once it is answered', async () => {
    const source = manualSource();
    const check = sharedPerTurn(source.read);
    const first = check();
    await nextTurns();
    assert.equal(source.queries, 1);
    const second = check();
    const third = check();
    await nextTurns();
    assert.equal(source.queries, 1, 'no second query while the first is in flight');
    source.answer(0);
    assert.equal(await first, 0);
    await nextTurns();
    assert.equal(source.queries, 2, 'callers that came during the first query get a query of their own');
    source.answer(1);
    assert.deepEqual(await Promise.all([second, third]), [0, 0]);
  });

  it('never answers a caller with a query that began before it arrived', async () => {
    const source = manualSource();
    const check = sharedPerTurn(source.read);
    const early = check();
    await nextTurns(); // query 0 starts at version 0
    source.commit(); // a write returns…
    const late = check(); // …then this read arrives: it must see version 1
    source.answer(0);
    assert.equal(await early, 0);
    await nextTurns();
    source.answer(1);
    assert.equal(await late, 1);
  });

  it('rejects the callers of a failed check and checks again for the next', async () => {
    let fail = true;
    const check = sharedPerTurn(() => {
      if (fail) throw new Error('database is locked');
      return 3;
    });
    await assert.rejects(Promise.all([check(), check()]), /database is locked/);
    fail = false;
    assert.equal(await check(), 3);
  });

  it('checks again after a query that failed in flight', async () => {
    let calls = 0;
    const check = sharedPerTurn(async () => {
      calls++;
      if (calls === 1) throw new Error('Connection terminated unexpectedly');
      return 4;
    });
    const failed = check();
    await assert.rejects(failed, /Connection terminated/);
    assert.equal(await check(), 4);
  });
});

describeEachDatabase('the committed version', (database) => {
  it('follows commits', async (t) => {
    const { store } = await createTestDatabase(t);
    const before = await store.committedVersion();
    await withWriteTransaction(store, (context) => context.revision());
    assert.equal(await store.committedVersion(), before + 1);
  });

  it('outlives the loss of its connection', { skip: database.dialect === 'postgres' ? false : 'PostgreSQL only: the SQLite version check has no connection to lose' }, async (t) => {
    const { store } = await createTestDatabase(t);
    const before = await store.committedVersion();
    await withWriteTransaction(store, (context) => context.revision());
    assert.equal(await store.committedVersion(), before + 1);
    const killed = await sql<{ killed: boolean }>`select pg_terminate_backend(pid) as killed from pg_stat_activity where application_name = ${VERSION_CHECK_APPLICATION} and pid <> pg_backend_pid() and datname = current_database()`.execute(databaseOf(store));
    assert.ok(killed.rows.some((row) => row.killed), 'the version check has a connection of its own');
    // A read in flight when the connection dies may fail, as on any connection, and then counts
    // the database as away until a recovery check reconnects (writes meanwhile fail fast).
    await store.committedVersion().catch(() => undefined);
    while (store.health.down) await new Promise((resolve) => setTimeout(resolve, 20));
    await withWriteTransaction(store, (context) => context.revision());
    assert.equal(await store.committedVersion(), before + 2);
  });

  it('checks anew after a first check that failed (a database not migrated yet)', async (t) => {
    const folder = tempFolder(t, 'version');
    const { store, url } = await createTestDatabase(t, { file: join(folder, 'status.db') });
    await sql`alter table state rename to state_away`.execute(databaseOf(store));
    const early = openStore(url);
    t.after(() => early.close());
    await assert.rejects(early.committedVersion());
    await sql`alter table state_away rename to state`.execute(databaseOf(store));
    assert.equal(await early.committedVersion(), await store.committedVersion());
  });
});
