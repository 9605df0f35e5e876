import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * Where a store keeps its query builder. Only storage modules import this (a lint rule): every
 * other layer goes through storage functions, so no query runs outside storage, and no write
 * runs on the store's own connection instead of the write transaction.
 */
export const DATABASE: unique symbol = Symbol('database');

/** Where a store may keep a second, read-only connection for snapshot reads (SQLite files). */
export const SNAPSHOT_READER: unique symbol = Symbol('snapshot-reader');

export interface HoldsDatabase {
  readonly [DATABASE]: Kysely<Database>;
  readonly [SNAPSHOT_READER]?: Kysely<Database> | undefined;
}

/** The query builder of a store, for storage modules (and tests that look at rows). */
export function databaseOf(store: HoldsDatabase): Kysely<Database> {
  return store[DATABASE];
}

/**
 * The query builder for a read snapshot: the store's read-only connection where it has one, so
 * that the read model's catch-up never queues behind a write transaction on the one SQLite
 * connection; the store's own otherwise.
 */
export function snapshotReaderOf(store: HoldsDatabase): Kysely<Database> {
  return store[SNAPSHOT_READER] ?? store[DATABASE];
}
