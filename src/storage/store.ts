import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type MigrationResultSet } from 'kysely';
import pg from 'pg';
import { allMigrations } from './migrations/index.js';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

/** An open database: the query builder plus the few things that differ between dialects. */
export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** The committed state version, read as cheaply as the dialect allows (see read-model). */
  committedVersion(): Promise<number>;
  /** Called by the write transaction after each commit that bumped the version. */
  noteCommittedVersion(version: number): void;
  close(): Promise<void>;
}

export class DatabaseUrlError extends Error {}

/** `sqlite:<path>`, `sqlite::memory:` or `postgres://…` (spec §6). */
export function openStore(url: string): Store {
  if (url.startsWith('sqlite:')) return openSqlite(url.slice('sqlite:'.length));
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return openPostgres(url);
  throw new DatabaseUrlError('expected sqlite:<path> or postgres://…');
}

function openSqlite(path: string): Store {
  const memory = path === ':memory:' || path === '';
  if (!memory) mkdirSync(dirname(resolve(path)), { recursive: true });
  const connection = new SQLite(memory ? ':memory:' : path);
  connection.pragma('journal_mode = WAL');
  connection.pragma('synchronous = NORMAL');
  connection.pragma('foreign_keys = ON');
  connection.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: connection }) });

  // The read cache asks for the version on every request. A second, read-only connection sees
  // only committed data (WAL), never the half of a transaction that the main connection is in,
  // and it notices commits by other processes (the CLI). An in-memory database has no second
  // connection and no other writer, so the last committed version is known here.
  let lastCommitted = -1;
  let probe: SQLite.Statement<[], number> | undefined;
  let probeConnection: SQLite.Database | undefined;
  const probeVersion = () => {
    if (!probe) {
      probeConnection = new SQLite(path, { readonly: true, fileMustExist: true });
      probe = probeConnection.prepare<[], number>('select version from state where id = 1').pluck();
    }
    return Number(probe.get() ?? 0);
  };
  const sharedProbe = oncePerTurn(probeVersion);
  return {
    db,
    dialect: 'sqlite',
    async committedVersion() {
      if (memory) {
        if (lastCommitted < 0) lastCommitted = await readVersion(db);
        return lastCommitted;
      }
      return sharedProbe();
    },
    noteCommittedVersion(version) {
      lastCommitted = Math.max(lastCommitted, version);
    },
    async close() {
      probeConnection?.close();
      await db.destroy();
    },
  };
}

// bigint columns hold epoch milliseconds and versions, all far below 2^53.
const PG_TYPES = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text'),
} as pg.CustomTypesConfig;

function openPostgres(url: string): Store {
  const pool = new pg.Pool({ connectionString: url, max: 10, types: PG_TYPES });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const versionReader = postgresVersionReader(url);
  return {
    db,
    dialect: 'postgres',
    committedVersion: coalesce(versionReader.read),
    noteCommittedVersion() {},
    async close() {
      await versionReader.close();
      await db.destroy();
    },
  };
}

/** How the version check's connection shows in pg_stat_activity. */
export const VERSION_CHECK_APPLICATION = 'status-dashboard version check';

/**
 * The version query every read waits for, on a connection of its own as a prepared statement:
 * no pool checkout, no query building, no parsing on the server (measured: the query is most of
 * what a cached read costs on PostgreSQL). Coalescing keeps at most one of them in flight, so one
 * connection is enough; a broken one is replaced by the next read.
 */
function postgresVersionReader(url: string): { read(): Promise<number>; close(): Promise<void> } {
  let current: { client: pg.Client; ready: Promise<pg.Client> } | undefined;
  const drop = (client: pg.Client) => {
    if (current?.client === client) current = undefined;
    void client.end().catch(() => undefined);
  };
  const connect = () => {
    const client = new pg.Client({ connectionString: url, types: PG_TYPES, application_name: VERSION_CHECK_APPLICATION });
    // A connection the server ends (a restart) is reported here; the next read connects anew.
    client.on('error', () => drop(client));
    const ready = client.connect().then(
      () => client,
      (error: unknown) => {
        drop(client);
        throw error;
      },
    );
    current = { client, ready };
    return ready;
  };
  return {
    async read() {
      const client = await (current?.ready ?? connect());
      try {
        const result = await client.query<[number]>({ name: 'sd_committed_version', text: 'select version from state where id = 1', rowMode: 'array' });
        return Number(result.rows[0]?.[0] ?? 0);
      } catch (error) {
        drop(client);
        throw error;
      }
    },
    async close() {
      const client = current?.client;
      current = undefined;
      await client?.end().catch(() => undefined);
    },
  };
}

/**
 * Shares one version query among the reads that arrive while it is pending. A caller never takes
 * the answer of a query that began before it arrived (that could miss a write which returned in
 * between): it waits for the next one. Under load this is one query in flight, not one per read.
 */
export function coalesce(read: () => Promise<number>): () => Promise<number> {
  let running: Promise<number> | undefined;
  let next: Promise<number> | undefined;
  const start = () => {
    const query: Promise<number> = read().finally(() => {
      if (running === query) running = undefined;
    });
    running = query;
    return query;
  };
  return () => {
    if (!running) return start();
    next ??= running
      .catch(() => undefined)
      .then(() => {
        next = undefined;
        return start();
      });
    return next;
  };
}

/**
 * Shares one synchronous probe among the reads of one turn of the event loop. The probe runs in
 * the turn's check phase (setImmediate), after every request read from the sockets in that turn
 * has asked: each caller's request arrived before the probe ran, so a write that returned before
 * any of them was sent is seen (measured under load: a WAL read lock per request cost ~20 µs, a
 * large share of a cached read).
 */
export function oncePerTurn(probe: () => number): () => Promise<number> {
  let pending: Promise<number> | undefined;
  return () =>
    (pending ??= new Promise<number>((resolve, reject) => {
      setImmediate(() => {
        pending = undefined;
        try {
          resolve(probe());
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
        }
      });
    }));
}

async function readVersion(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('state').select('version').where('id', '=', 1).executeTakeFirst();
  return Number(row?.version ?? 0);
}

/** Brings the schema to the latest version; used by the server start, the CLI and the tests. */
export async function migrateToLatest(store: Store): Promise<MigrationResultSet> {
  const migrations = allMigrations(store.dialect);
  // Kysely looks for its migration tables in every schema it can see; pinned to ours, another
  // deployment (or test) in another schema of the same database is not mistaken for this one.
  const schema =
    store.dialect === 'postgres' ? (await sql<{ name: string }>`select current_schema() as name`.execute(store.db)).rows[0]?.name : undefined;
  const migrator = new Migrator({
    db: store.db,
    provider: { getMigrations: async () => migrations },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const result = await migrator.migrateToLatest();
  if (result.error) throw result.error;
  return result;
}

