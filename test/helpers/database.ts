import { randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';
import { migrateToLatest, openStore, type Dialect, type Store } from '../../src/storage/store.js';
import { adminQuery } from './postgres-admin.js';

/**
 * The database the suite runs on: SQLite in memory by default; PostgreSQL when
 * SD_TEST_DATABASE_URL names one (CI runs the suite once on each).
 */
export const TEST_DATABASE_URL = process.env.SD_TEST_DATABASE_URL ?? 'sqlite::memory:';
export const TEST_DIALECT: Dialect = TEST_DATABASE_URL.startsWith('sqlite:') ? 'sqlite' : 'postgres';

/**
 * A database of the test's own: a fresh in-memory SQLite database, or a fresh PostgreSQL schema
 * (dropped afterwards). Returns the URL too, for tests that start server processes on it.
 */
export async function createTestDatabase(t: TestContext, options: { file?: string } = {}): Promise<{ store: Store; url: string }> {
  let url = options.file ? `sqlite:${options.file}` : TEST_DATABASE_URL;
  if (TEST_DIALECT === 'postgres') {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    await adminQuery(TEST_DATABASE_URL, `create schema ${schema}`);
    t.after(() => adminQuery(TEST_DATABASE_URL, `drop schema ${schema} cascade`));
    const withSchema = new URL(TEST_DATABASE_URL);
    withSchema.searchParams.set('options', `-c search_path=${schema}`);
    url = withSchema.toString();
  }
  const store = openStore(url);
  t.after(() => store.close());
  await migrateToLatest(store);
  return { store, url };
}

