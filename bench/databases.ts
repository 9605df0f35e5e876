import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dialect } from '../src/storage/store.js';
import { adminQuery, databaseUrl, dropDatabase, redactedUrl } from '../test/helpers/postgres-admin.js';

export interface BenchDatabase {
  url: string;
  cleanup(): Promise<void>;
}

/**
 * A fresh database of its own: a SQLite file in a temporary folder, or a PostgreSQL database
 * created on the server of `pgUrl` (the helpers the tests use). A string: why there is none.
 */
export async function createBenchDatabase(dialect: Dialect, pgUrl: string): Promise<BenchDatabase | string> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'sd-bench-'));
    return { url: `sqlite:${join(dir, 'bench.db')}`, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `sd_bench_${process.pid}_${randomBytes(4).toString('hex')}`;
  try {
    await adminQuery(pgUrl, `create database ${name}`);
  } catch (error) {
    return `PostgreSQL skipped: cannot create a database at ${redactedUrl(pgUrl)} (${error instanceof Error ? error.message : String(error)})`;
  }
  return { url: databaseUrl(pgUrl, name), cleanup: () => dropDatabase(pgUrl, name) };
}
