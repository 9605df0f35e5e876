import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Duplex } from 'node:stream';
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

/** The committed state version, as the per-read checks ask for it (SQLite probe, PostgreSQL statement). */
const VERSION_QUERY = 'select version from state where id = 1';

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
      probe = probeConnection.prepare<[], number>(VERSION_QUERY).pluck();
    }
    return Number(probe.get() ?? 0);
  };
  const sharedProbe = sharedPerTurn(probeVersion);
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
    committedVersion: sharedPerTurn(versionReader.read),
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
 * The version query every read waits for, on a connection of its own: no pool checkout, no query
 * building, a statement prepared once per connection. One check is in flight at a time, so one
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
    const ready = (async () => {
      try {
        await client.connect();
        await client.query({ name: VersionCheck.statement, text: VERSION_QUERY });
        return client;
      } catch (error) {
        drop(client);
        throw error;
      }
    })();
    current = { client, ready };
    return ready;
  };
  return {
    async read() {
      const client = await (current?.ready ?? connect());
      try {
        return await client.query(new VersionCheck()).answer;
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
 * One execution of the prepared version statement, handed to pg as a submittable: one write of
 * bind, execute and sync, and the one field kept from the answer. pg's own Query builds a result
 * object around each row; for this query that was a third of the node CPU a check costs
 * (measured sequentially: 60–70 µs instead of 85–95 µs).
 */
class VersionCheck implements pg.Submittable {
  static readonly statement = 'sd_committed_version';
  readonly answer: Promise<number>;
  private version = 0;
  private settle!: { resolve: (version: number) => void; reject: (error: unknown) => void };

  constructor() {
    this.answer = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
  }

  submit(connection: pg.Connection): void {
    const stream = connection.stream as Duplex;
    stream.cork();
    connection.bind({ statement: VersionCheck.statement, values: [] }, false);
    connection.execute(null, false);
    connection.sync();
    stream.uncork();
  }

  // The callbacks pg makes on the active query, as the backend answers (no describe was sent, so
  // no row description comes).
  handleDataRow(message: { fields: (string | null)[] }): void {
    this.version = Number(message.fields[0] ?? 0);
  }
  handleCommandComplete(): void {}
  handleError(error: unknown): void {
    this.settle.reject(error);
  }
  handleReadyForQuery(): void {
    this.settle.resolve(this.version);
  }
}

/**
 * Shares one version check among the reads that ask before it starts. A check starts in the check
 * phase of the event loop's turn (setImmediate), after every request read from the sockets in
 * that turn has asked, and never while another is in flight: each caller's request arrived before
 * the check began, so a write that returned before the request was sent is seen. Under load this
 * is one check per turn or per round trip, whichever is longer, not one per read (SQLite: a WAL
 * read lock per request cost ~20 µs, a large share of a cached read; PostgreSQL: a round trip).
 */
export function sharedPerTurn(check: () => number | Promise<number>): () => Promise<number> {
  let inFlight: Promise<unknown> | undefined;
  let next: Promise<number> | undefined;
  const run = async () => {
    if (inFlight) await inFlight;
    await new Promise((resolve) => setImmediate(resolve));
    next = undefined;
    const answer = Promise.resolve().then(check);
    inFlight = answer.catch(() => undefined);
    return answer;
  };
  return () => (next ??= run());
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

