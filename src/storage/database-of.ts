import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * Where a store keeps its query builder. Only storage modules import this (a lint rule): every
 * other layer goes through storage functions, so no query runs outside storage, and no write
 * runs on the store's own connection instead of the write transaction.
 */
export const DATABASE: unique symbol = Symbol('database');

export interface HoldsDatabase {
  readonly [DATABASE]: Kysely<Database>;
}

/** The query builder of a store, for storage modules (and tests that look at rows). */
export function databaseOf(store: HoldsDatabase): Kysely<Database> {
  return store[DATABASE];
}
