import { randomBytes } from 'node:crypto';
import { after, before, beforeEach, describe, it, type TestContext, type TestOptions } from 'node:test';
import { migrateToLatest, openStore, type Dialect, type Store, type StoreTimeouts } from '../../src/storage/store.js';
import { withWriteTransaction } from '../../src/storage/write-transaction.js';
import { adminQuery, databaseUrl, dropDatabase } from './postgres-admin.js';

/** A database server the suite runs on; each test gets a database (or schema) of its own on it. */
export interface TestDatabase {
  dialect: Dialect;
  /** the server's URL: `sqlite::memory:`, or the PostgreSQL database of SD_TEST_DATABASE_URL */
  url: string;
}

export const SQLITE: TestDatabase = { dialect: 'sqlite', url: 'sqlite::memory:' };

/** PostgreSQL when SD_TEST_DATABASE_URL names a database (CI sets it), else undefined. */
export const POSTGRES: TestDatabase | undefined = process.env.SD_TEST_DATABASE_URL ? { dialect: 'postgres', url: process.env.SD_TEST_DATABASE_URL } : undefined;

/** Why PostgreSQL is not tested in this run, or undefined when it is. */
export const POSTGRES_MISSING = POSTGRES ? undefined : 'SD_TEST_DATABASE_URL is not set';

const inCi = process.env.CI === 'true';

/**
 * The stores the tests open wait longer than production's: on a loaded test machine (the whole
 * suite at once) a statement can take seconds to be answered, and the production bounds would turn that into a 503. The tests of what happens when
 * the database is slow or away make it so, or set their own bounds.
 */
export const TEST_TIMEOUTS: StoreTimeouts = { connectMs: 10_000, statementMs: 20_000, lockMs: 20_000 };

// The database of the suite whose tests run now: the tests of one file run one after another, and
// describeEachDatabase sets it before each of its suite's hooks and tests.
let current: TestDatabase | undefined;

/**
 * `describe(`<dialect>: <name>`, …)` once per database: SQLite, and PostgreSQL when
 * SD_TEST_DATABASE_URL is set. Without it the PostgreSQL suite is one skipped test that says so
 * ("postgres: <name>: skipped: SD_TEST_DATABASE_URL is not set"); under CI=true that test fails
 * instead. Inside, createTestDatabase (and so buildTestApp) uses the suite's database.
 */
export function describeEachDatabase(name: string, body: (database: TestDatabase) => void): void;
export function describeEachDatabase(name: string, options: TestOptions | ((database: TestDatabase) => TestOptions), body: (database: TestDatabase) => void): void;
export function describeEachDatabase(
  name: string,
  ...args: [(database: TestDatabase) => void] | [TestOptions | ((database: TestDatabase) => TestOptions), (database: TestDatabase) => void]
): void {
  const [optionsOf, body] = args.length === 1 ? [{}, args[0]] : args;
  for (const database of [SQLITE, POSTGRES]) {
    if (database === undefined) {
      if (inCi) {
        it(`postgres: ${name}`, () => {
          throw new Error(`${POSTGRES_MISSING}, and CI=true: PostgreSQL must be tested (set it to a database that tests may fill)`);
        });
      } else {
        it(`postgres: ${name}: skipped: ${POSTGRES_MISSING}`, { skip: POSTGRES_MISSING }, () => undefined);
      }
      continue;
    }
    const options = typeof optionsOf === 'function' ? optionsOf(database) : optionsOf;
    describe(`${database.dialect}: ${name}`, options, () => {
      before(() => (current = database));
      beforeEach(() => (current = database));
      after(() => (current = undefined));
      body(database);
    });
  }
}

// On PostgreSQL each test process (one file, or a few that scripts/test.ts runs together) works
// in a database of its own, made on first use and dropped when its tests are done; each test in a
// schema of its own there. Processes run concurrently: in one database, the migrator's look over
// every schema's tables would race with another process dropping its schema
// ('schema "t_…" does not exist').
let processDatabase: Promise<string> | undefined;

function databaseOfThisProcess(server: TestDatabase): Promise<string> {
  processDatabase ??= (async () => {
    const name = `sd_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    await adminQuery(server.url, `create database ${name}`);
    return databaseUrl(server.url, name);
  })();
  return processDatabase;
}

after(async () => {
  if (POSTGRES && processDatabase) await dropDatabase(POSTGRES.url, new URL(await processDatabase).pathname.slice(1));
});

/**
 * A database of the test's own: a fresh in-memory SQLite database (or the SQLite file given), or a
 * fresh PostgreSQL schema in the test process's database, dropped afterwards. On the database of the
 * enclosing describeEachDatabase suite unless `database` says otherwise; outside one, SQLite.
 * Returns the URL too, for tests that start server processes on it.
 */
export async function createTestDatabase(t: TestContext, options: { file?: string; database?: TestDatabase } = {}): Promise<{ store: Store; url: string }> {
  const database = options.database ?? current ?? SQLITE;
  let url = database.dialect === 'sqlite' ? (options.file ? `sqlite:${options.file}` : database.url) : database.url;
  if (database.dialect === 'postgres') {
    const processUrl = await databaseOfThisProcess(database);
    const schema = `t_${randomBytes(6).toString('hex')}`;
    await adminQuery(processUrl, `create schema ${schema}`);
    t.after(() => adminQuery(processUrl, `drop schema ${schema} cascade`));
    const withSchema = new URL(processUrl);
    withSchema.searchParams.set('options', `-c search_path=${schema}`);
    url = withSchema.toString();
  }
  const store = openStore(url, TEST_TIMEOUTS);
  t.after(() => store.close());
  await migrateToLatest(store);
  return { store, url };
}

/** Holds the write lock until released: whatever is written meanwhile has to queue. */
export function holdWriteLock(store: Store): { release(): void; done: Promise<void> } {
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  return { release, done: withWriteTransaction(store, () => released) };
}
