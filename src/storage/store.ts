import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Duplex } from 'node:stream';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type MigrationResultSet } from 'kysely';
import pg from 'pg';
import { classifyDatabaseError, QueryTimeoutError } from './failures.js';
import { DeadlineExceeded, withDeadline } from './deadline.js';
import { DATABASE, databaseOf, SNAPSHOT_READER, type HoldsDatabase } from './database-of.js';
import { DatabaseHealth } from './health.js';
import { UNOBSERVED, type StorageObserver } from './observer.js';
import { allMigrations } from './migrations/index.js';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

/** An open database: the query builder plus the few things that differ between dialects. */
export interface Store extends HoldsDatabase {
  readonly dialect: Dialect;
  /** Whether the database answers, as last found; reads and writes decide on it (spec §8). */
  readonly health: DatabaseHealth;
  readonly timeouts: StoreTimeouts;
  /**
   * Whether a query waits on a server that may stop answering (PostgreSQL). SQLite answers
   * synchronously, in the process: a timer could never cut a wait short there.
   */
  readonly waitsOnServer: boolean;
  /** The committed state version, read as cheaply as the dialect allows (see read-model). */
  committedVersion(): Promise<number>;
  /** Told of lock waits, batch sizes and failures; the server attaches its metrics here. */
  observer: StorageObserver;
  /** Called by the write transaction after each commit that bumped the version. */
  noteCommittedVersion(version: number): void;
  close(): Promise<void>;
}

/**
 * How long the database may take before this instance stops waiting for it. A status page must
 * answer while its database is slow or away: reads then come from memory, writes get a 503, and
 * none of them should hang for longer than a person waits for a page.
 */
export interface StoreTimeouts {
  /** a connection attempt (PostgreSQL) */
  connectMs: number;
  /** one statement, after which the server cancels it; our own watchdog gives up a second later */
  statementMs: number;
  /** waiting for the write lock (PostgreSQL lock_timeout, SQLite busy_timeout) */
  lockMs: number;
}

/**
 * Our statements take milliseconds and our transactions never wait on anything else, so these
 * bounds only ever bite when the database is in trouble, and they keep a failed write under 5 s.
 */
export const DEFAULT_TIMEOUTS: StoreTimeouts = { connectMs: 2_000, statementMs: 3_000, lockMs: 2_000 };

// A transaction idle this long belongs to an instance that froze or lost its way while holding the
// write lock: the server ends its session, so the lock does not stop every other instance.
const IDLE_IN_TRANSACTION_MS = 5_000;

export class DatabaseUrlError extends Error {}

/** The committed state version, as the per-read checks ask for it (SQLite probe, PostgreSQL statement). */
const VERSION_QUERY = 'select version from state where id = 1';

/** `sqlite:<path>`, `sqlite::memory:` or `postgres://…` (spec §6). */
export function openStore(url: string, timeouts: StoreTimeouts = DEFAULT_TIMEOUTS): Store {
  if (url.startsWith('sqlite:')) return openSqlite(url.slice('sqlite:'.length), timeouts);
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return openPostgres(url, timeouts);
  throw new DatabaseUrlError('expected sqlite:<path> or postgres://…');
}

function openSqlite(path: string, timeouts: StoreTimeouts): Store {
  const memory = path === ':memory:' || path === '';
  if (!memory) mkdirSync(dirname(resolve(path)), { recursive: true });
  const connection = new SQLite(memory ? ':memory:' : path);
  connection.pragma('journal_mode = WAL');
  connection.pragma('synchronous = NORMAL');
  connection.pragma('foreign_keys = ON');
  // better-sqlite3 waits for the lock synchronously: the only other writer is the CLI, whose
  // changes take milliseconds, so the wait is short in practice.
  connection.pragma(`busy_timeout = ${Math.round(timeouts.lockMs)}`);
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
  // The shared check itself, not a wrapper: the reads of a turn must get one promise (read-model
  // bounds each check once, by its identity).
  const committedVersion = memory
    ? async (): Promise<number> => {
        if (lastCommitted < 0) lastCommitted = await readVersion(db);
        return lastCommitted;
      }
    : sharedPerTurn(reportingHealth(() => store, probeVersion));
  const health: DatabaseHealth = new DatabaseHealth(committedVersion);
  // Snapshot reads (the read model's catch-up) on a read-only connection of their own: in WAL mode
  // it sees every committed change and none in progress, and it never waits behind a write
  // transaction holding the one connection writes use (a burst of reports, the notifications).
  const reader = memory ? undefined : new Kysely<Database>({ dialect: new SqliteDialect({ database: async () => new SQLite(path, { readonly: true, fileMustExist: true }) }) });
  const store: Store = {
    [DATABASE]: db,
    [SNAPSHOT_READER]: reader,
    dialect: 'sqlite',
    health,
    timeouts,
    waitsOnServer: false,
    observer: UNOBSERVED,
    committedVersion,
    noteCommittedVersion(version) {
      lastCommitted = Math.max(lastCommitted, version);
    },
    async close() {
      health.close();
      probeConnection?.close();
      await reader?.destroy();
      await db.destroy();
    },
  };
  return store;
}

/**
 * A version check tells whether the database answers: the reads that wait for it learn it first.
 * Wrapped around the shared check, so it runs once per check, not once per read.
 */
function reportingHealth(store: () => Store, check: () => number | Promise<number>): () => Promise<number> {
  return async () => {
    try {
      const version = await check();
      store().health.markUp();
      return version;
    } catch (error) {
      const kind = classifyDatabaseError(error);
      if (kind) store().observer.databaseFailed(kind, 'read');
      store().health.markDown(error);
      throw error;
    }
  };
}

// bigint columns hold epoch milliseconds and versions, all far below 2^53.
const PG_TYPES = {
  getTypeParser: (oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text'),
} as pg.CustomTypesConfig;

function openPostgres(url: string, timeouts: StoreTimeouts): Store {
  const settings: pg.PoolConfig = {
    connectionString: url,
    types: PG_TYPES,
    connectionTimeoutMillis: timeouts.connectMs,
    statement_timeout: timeouts.statementMs,
    lock_timeout: timeouts.lockMs,
    idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_MS,
    keepAlive: true,
  };
  const watchdogMs = timeouts.statementMs + 1_000;
  const pool = new pg.Pool({ ...settings, max: 10, Client: guardedClient(watchdogMs) });
  // An idle connection the server ended (a restart, pg_terminate_backend): the pool has already
  // dropped it and the next query opens another; without this listener, the process would end.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const versionReader = postgresVersionReader(settings, watchdogMs);
  const committedVersion = sharedPerTurn(reportingHealth(() => store, versionReader.read));
  const health: DatabaseHealth = new DatabaseHealth(committedVersion);
  const store: Store = {
    [DATABASE]: db,
    dialect: 'postgres',
    health,
    timeouts,
    waitsOnServer: true,
    observer: UNOBSERVED,
    committedVersion,
    noteCommittedVersion() {},
    async close() {
      health.close();
      await versionReader.close();
      await db.destroy();
    },
  };
  return store;
}

/**
 * pg's client, with what a server that goes away needs: a listener for the errors of a connection
 * in use (pg-pool listens only while it is idle, and an 'error' event without a listener ends the
 * process), and a watchdog per query that cuts the connection when the server stops answering
 * altogether (frozen, partitioned), where its own statement timeout can no longer fire. A cut
 * connection fails its query and the pool drops it.
 */
function guardedClient(watchdogMs: number): new () => pg.ClientBase {
  class GuardedClient extends pg.Client {
    constructor(config?: pg.ClientConfig) {
      super(config);
      this.on('error', () => undefined);
      const query = this.query.bind(this) as (...args: unknown[]) => unknown;
      this.query = ((...args: unknown[]) => this.watched(query(...args))) as pg.Client['query'];
    }

    private watched(result: unknown): unknown {
      if (!(result instanceof Promise)) return result;
      const timer = setTimeout(() => this.connection.stream.destroy(new QueryTimeoutError(watchdogMs)), watchdogMs);
      const stop = () => clearTimeout(timer);
      result.then(stop, stop);
      return result;
    }
  }
  return GuardedClient as unknown as new () => pg.ClientBase;
}

/** How the version check's connection shows in pg_stat_activity. */
export const VERSION_CHECK_APPLICATION = 'status-dashboard version check';

/**
 * The version query every read waits for, on a connection of its own: no pool checkout, no query
 * building, a statement prepared once per connection. One check is in flight at a time, so one
 * connection is enough; a broken one is replaced by the next read.
 */
function postgresVersionReader(settings: pg.ClientConfig, watchdogMs: number): { read(): Promise<number>; close(): Promise<void> } {
  let current: { client: pg.Client; ready: Promise<pg.Client> } | undefined;
  const drop = (client: pg.Client) => {
    if (current?.client === client) current = undefined;
    void client.end().catch(() => undefined);
  };
  const connect = () => {
    const client = new pg.Client({ ...settings, application_name: VERSION_CHECK_APPLICATION });
    // A connection the server ends (a restart) is reported here; the next check connects anew.
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
        // A server that stops answering leaves the check waiting for good: cut the connection.
        return await withDeadline(client.query(new VersionCheck()).answer, watchdogMs).catch((error: unknown) => {
          throw error instanceof DeadlineExceeded ? new QueryTimeoutError(watchdogMs) : error;
        });
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
  const result = await (await migratorOf(store)).migrateToLatest();
  if (result.error) throw result.error;
  return result;
}

/** The migrations this code knows that the database has not had yet (empty: the schema is current). */
export async function pendingMigrations(store: Store): Promise<string[]> {
  const migrations = await (await migratorOf(store)).getMigrations();
  return migrations.filter((migration) => migration.executedAt === undefined).map((migration) => migration.name);
}

async function migratorOf(store: Store): Promise<Migrator> {
  const migrations = allMigrations(store.dialect);
  // Kysely looks for its migration tables in every schema it can see; pinned to ours, another
  // deployment (or test) in another schema of the same database is not mistaken for this one.
  const schema =
    store.dialect === 'postgres' ? (await sql<{ name: string }>`select current_schema() as name`.execute(databaseOf(store))).rows[0]?.name : undefined;
  return new Migrator({
    db: databaseOf(store),
    provider: { getMigrations: async () => migrations },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
}
